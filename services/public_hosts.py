"""Whether an address people typed may be fetched by the server: its host must resolve to public
addresses only, so that nobody makes Saraban fetch from its own network (its database, Prefect's
API, the cloud's metadata service) by typing an address. An office whose receivers or websites
are inside its own network says so (`SARABAN_PERSONAL_WEBHOOKS_INSIDE`)."""

import ipaddress
import socket

from models.settings import get_settings


def may_fetch(host: str) -> bool:
    return get_settings().personal_webhooks_inside or public_host(host)


def public_host(host: str) -> bool:
    """Whether every address the host name resolves to is a public one (a name that resolves to
    nothing is not)."""
    try:
        found = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found)
