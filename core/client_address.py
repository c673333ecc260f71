"""The client's address, as far as the connection proves it.

`X-Forwarded-For` is whatever the client typed unless a proxy we run wrote it. With
`TRUSTED_PROXY_COUNT = 0` (nothing in front) the address is the connection's (`REMOTE_ADDR`);
with N trusted proxies each appends the address it was reached from, so the client is the N-th
entry from the right: everything left of it was written by the client and is ignored. The audit
log and the lock-out (django-axes, `AXES_CLIENT_IP_CALLABLE`) both use this one function.
"""

import ipaddress

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address as a string, or None when there is no request or no valid
    address. Reads `settings.TRUSTED_PROXY_COUNT` (int ≥ 0)."""
    if request is None:
        return None
    meta = request.META
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()]
        if hops:
            # Fewer entries than proxies: the leftmost one was still written by a trusted proxy.
            address = _valid_ip(hops[-proxies] if len(hops) >= proxies else hops[0])
            if address:
                return address
    return _valid_ip(meta.get("REMOTE_ADDR"))
