"""Where deliveries may connect: the SSRF policy and the transport that enforces it.

A URL is checked when an endpoint is saved (a 400 for a bad one) and again on every
connection: :class:`GuardedAdapter` resolves the host once, checks every address,
and connects to the checked address itself, so a DNS answer that changes between
the check and the connection (rebinding) never reaches an internal address.

Always refused: unspecified, link-local (so the 169.254.169.254 metadata service),
known metadata addresses, multicast, broadcast and reserved ranges. Loopback and
private ranges are refused unless ``WEBHOOK_ALLOW_PRIVATE_TARGETS`` is on (the test
suite and a laptop need loopback). IPv4 written in decimal, octal or hex, and IPv4
inside IPv6 (mapped, 6to4, NAT64), are judged as the IPv4 address they stand for.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from publishing.webhooks import deadline

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services that are not link-local (AWS IPv6, Alibaba, Oracle...).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)
METADATA_HOSTS = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data"}
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


class TargetRefused(ValueError):
    """The URL or address may not be used as a webhook target."""


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False))


def require_https() -> bool:
    return bool(getattr(settings, "WEBHOOK_REQUIRE_HTTPS", False))


def _embedded_ipv4(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


# Refusals that WEBHOOK_ALLOW_PRIVATE_TARGETS lifts: the message names the setting.
PRIVATE_REASONS = frozenset({"a loopback address", "a private address"})


def refusal_reason(ip: IPAddress, allow_private_targets: bool) -> str | None:
    """Why a connection to ``ip`` is refused, or ``None`` if it is allowed."""
    ip = _embedded_ipv4(ip)
    if ip in METADATA_ADDRESSES:
        return "a metadata address"
    if ip.is_unspecified or ip in THIS_NETWORK:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_reserved or ip == ipaddress.IPv4Address("255.255.255.255"):
        return "a reserved address"
    if ip.is_loopback:
        return None if allow_private_targets else "a loopback address"
    if ip.is_private or not ip.is_global:
        return None if allow_private_targets else "a private address"
    return None


def parse_ip_literal(host: str) -> IPAddress | None:
    """An IP address however written (``2130706433``, ``0177.1``, ``0x7f.0.0.1``)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    # inet_aton accepts the legacy forms browsers and libc accept: decimal, octal,
    # hex and short dotted. Only try it on things that look numeric.
    if host and all(c in "0123456789abcdefxABCDEFX." for c in host):
        if host[0].isdigit():
            try:
                return ipaddress.IPv4Address(socket.inet_aton(host))
            except OSError:
                return None
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (one DNS lookup)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if ip not in found:
            found.append(ip)
    return found


def checked_addresses(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host`` and refuse it if ANY of its addresses is refused."""
    allowed = allow_private()
    if host.lower().rstrip(".") in METADATA_HOSTS:
        raise TargetRefused(f"{host} is a metadata service")
    literal = parse_ip_literal(host)
    try:
        addresses = [literal] if literal is not None else resolve(host, port)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"{host} does not resolve") from exc
    if not addresses:
        raise TargetRefused(f"{host} does not resolve")
    for ip in addresses:
        reason = refusal_reason(ip, allowed)
        if reason in PRIVATE_REASONS:
            raise TargetRefused(
                f"{host} is {reason} ({ip}); set WEBHOOK_ALLOW_PRIVATE_TARGETS=true "
                "to allow receivers on loopback and private networks (the "
                "development settings do)"
            )
        if reason:
            raise TargetRefused(f"{host} is {reason} ({ip})")
    return addresses


def validate_target_url(url: str) -> str:
    """Check an endpoint URL when it is saved. Returns it, or raises TargetRefused."""
    if not isinstance(url, str) or not url or len(url) > 2048:
        raise TargetRefused("the URL must be a non-empty string of at most 2048")
    if any(c in url for c in "\x00\r\n\t ") or not url.isprintable():
        raise TargetRefused("the URL contains whitespace or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"the URL is malformed: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused("the URL must use http or https")
    if scheme == "http" and require_https():
        raise TargetRefused("the URL must use https")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("the URL must not carry credentials")
    host = parts.hostname
    if not host:
        raise TargetRefused("the URL has no host")
    checked_addresses(host, port or (443 if scheme == "https" else 80))
    return url


class _GuardedConnectionMixin:
    """Resolve once, check every address, connect to a checked address."""

    def _new_conn(self):  # type: ignore[override]
        host = self._dns_host  # type: ignore[attr-defined]
        try:
            addresses = checked_addresses(host, self.port)  # type: ignore[attr-defined]
        except TargetRefused as exc:
            raise NewConnectionError(self, f"refused: {exc}") from exc
        last_error: OSError | None = None
        attempt = deadline.current()
        for ip in addresses:
            family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                timeout = self.timeout  # type: ignore[attr-defined]
                if attempt is not None:
                    # Shut down when the attempt's deadline passes, whatever the
                    # socket is doing then (publishing/webhooks/deadline.py).
                    attempt.track(sock)
                    timeout = min(timeout or attempt.seconds, attempt.remaining())
                if timeout is not None:
                    sock.settimeout(timeout)
                sock.connect((str(ip), self.port))  # type: ignore[attr-defined]
                return sock
            except OSError as exc:
                sock.close()
                last_error = exc
        raise NewConnectionError(
            self, f"Failed to establish a new connection: {last_error}"
        )


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    # TLS still verifies the certificate against the URL's host name: only the TCP
    # connection goes to the checked address.
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection goes through the SSRF check."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": GuardedHTTPConnectionPool,
            "https": GuardedHTTPSConnectionPool,
        }
