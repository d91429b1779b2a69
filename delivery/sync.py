"""Sync for static builds (CONTRACT.md section 5): filled in below."""

from ninja import Router

router = Router(tags=["delivery"])
