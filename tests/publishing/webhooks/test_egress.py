"""SSRF: targets refused when saved and again when the connection is made."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import pytest

from publishing.webhooks import egress
from publishing.webhooks.delivery import send
from publishing.webhooks.egress import TargetRefused, validate_target_url

REFUSED_WITHOUT_PRIVATE = [
    "http://127.0.0.1/hook",
    "http://127.1/hook",
    "http://2130706433/hook",  # 127.0.0.1 in decimal
    "http://0177.0.0.1/hook",  # octal
    "http://0x7f.0.0.1/hook",  # hex
    "http://0x7f000001/hook",
    "http://localhost/hook",  # a name resolving to loopback
    "http://localhost./hook",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv6-mapped
    "http://[::ffff:7f00:1]/hook",
    "http://10.0.0.1/hook",
    "http://172.16.5.4/hook",
    "http://192.168.1.1/hook",
    "http://0xc0a80101/hook",  # 192.168.1.1 in hex
    "http://3232235777/hook",  # 192.168.1.1 in decimal
    "http://[fc00::1]/hook",
    "http://[fd12:3456::1]/hook",
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://[2002:7f00:1::]/hook",  # 6to4 wrapping 127.0.0.1
    "http://[64:ff9b::a00:1]/hook",  # NAT64 wrapping 10.0.0.1
]
ALWAYS_REFUSED = [
    "http://169.254.169.254/latest/meta-data/",  # the metadata service
    "http://2852039166/latest/meta-data/",  # the same, decimal
    "http://0251.0376.0251.0376/",  # the same, octal
    "http://[::ffff:169.254.169.254]/",  # the same, IPv6-mapped
    "http://[fd00:ec2::254]/",  # AWS metadata over IPv6
    "http://100.100.100.200/",  # Alibaba metadata
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://169.254.1.1/",  # link-local
    "http://[fe80::1]/",
    "http://0.0.0.0/",  # unspecified
    "http://0/",
    "http://[::]/",
    "http://224.0.0.1/",  # multicast
    "http://[ff02::1]/",
    "http://240.0.0.1/",  # reserved
    "http://255.255.255.255/",
]
MALFORMED = [
    "ftp://example.com/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_",
    "http://user:pass@93.184.216.34/hook",
    "http:///hook",
    "http://93.184.216.34:99999/",
    "http://93.184.216.34/ho ok",
    "not a url",
]


@pytest.fixture
def no_private(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("url", REFUSED_WITHOUT_PRIVATE + ALWAYS_REFUSED + MALFORMED)
def test_internal_and_malformed_targets_are_refused(no_private, url):
    with pytest.raises(TargetRefused):
        validate_target_url(url)


@pytest.mark.parametrize("url", ALWAYS_REFUSED)
def test_allowing_private_targets_still_refuses_metadata_and_link_local(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with pytest.raises(TargetRefused):
        validate_target_url(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/"]
)
def test_allowing_private_targets_allows_loopback_and_private(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    assert validate_target_url(url) == url


def test_a_public_address_is_accepted(no_private):
    assert validate_target_url("https://93.184.216.34/hook")


def test_a_name_resolving_to_a_private_address_is_refused(no_private, monkeypatch):
    monkeypatch.setattr(
        egress, "resolve", lambda host, port: [ipaddress.ip_address("10.0.0.7")]
    )
    with pytest.raises(TargetRefused, match="private"):
        validate_target_url("https://hooks.example.com/in")


def test_a_name_with_any_private_address_is_refused(no_private, monkeypatch):
    monkeypatch.setattr(
        egress,
        "resolve",
        lambda host, port: [
            ipaddress.ip_address("93.184.216.34"),
            ipaddress.ip_address("127.0.0.1"),
        ],
    )
    with pytest.raises(TargetRefused):
        validate_target_url("https://hooks.example.com/in")


def test_https_is_required_when_configured(settings):
    settings.WEBHOOK_REQUIRE_HTTPS = True
    with pytest.raises(TargetRefused, match="https"):
        validate_target_url("http://93.184.216.34/hook")
    assert validate_target_url("https://93.184.216.34/hook")


def test_production_requires_https_by_default():
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEBHOOK_REQUIRE")}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY="production-test-key-" + "k9" * 20,
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cms",
        REDIS_URL="redis://127.0.0.1:6379",
    )
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.WEBHOOK_REQUIRE_HTTPS)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "True", result.stderr


def test_the_connection_is_refused_at_send_time(no_private, receiver):
    # Saved while loopback was allowed; the policy is checked again on connect.
    response = send(receiver.url("/hook"), {}, "{}", timeout=2)

    assert response.status_code is None
    assert "refused" in response.error and "loopback" in response.error
    assert receiver.received() == []


def test_dns_rebinding_between_check_and_connect_is_refused(
    no_private, receiver, monkeypatch
):
    answers = iter(
        [[ipaddress.ip_address("93.184.216.34")], [ipaddress.ip_address("127.0.0.1")]]
    )
    monkeypatch.setattr(egress, "resolve", lambda host, port: next(answers))
    url = f"http://rebind.example.com:{receiver.port}/hook"
    validate_target_url(url)  # the first answer is public: accepted

    response = send(url, {}, "{}", timeout=2)  # the second is loopback

    assert response.status_code is None and "refused" in response.error
    assert receiver.received() == []


def test_the_connection_goes_to_the_checked_address(settings, receiver, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    monkeypatch.setattr(
        egress, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")]
    )

    response = send(f"http://hooks.example.com:{receiver.port}/in", {}, "{}", 2)

    assert response.status_code == 200
    assert receiver.received()[0].headers["host"].startswith("hooks.example.com")


def test_redirects_are_not_followed(settings, receiver):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    receiver.script(
        "/hook", (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, 0)
    )

    response = send(receiver.url("/hook"), {}, "{}", timeout=2)

    assert response.status_code == 302 and not response.succeeded
    assert [r.path for r in receiver.received()] == ["/hook"]
