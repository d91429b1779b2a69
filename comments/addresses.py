"""The submitter's address, kept only as a keyed hash: enough to count a flood
and to ban an address, never enough to recover it from a database dump."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from delivery.ratelimit import client_address

SALT = "comments.address"


def address_hash(address: str) -> str:
    return salted_hmac(SALT, address, algorithm="sha256").hexdigest()


def request_address_hash(request: HttpRequest) -> str:
    return address_hash(client_address(request))
