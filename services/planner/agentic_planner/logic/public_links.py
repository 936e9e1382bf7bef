"""Which URLs a person may be sent to: public http(s) only, never loopback.

A message is read elsewhere (a phone, a laptop on another network), so a link to ``127.0.0.1``,
``localhost`` or ``::1`` would point at the reader's own machine, and ``file://`` or ``s3://`` opens
nothing. Such references are still shown, as text, but never linked.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_public(url: str | None) -> bool:
    """True for an http(s) URL whose host is not a loopback name or address."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host or any(c.isspace() for c in url):
        return False
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name, not an address


def public_base(url: str | None) -> str | None:
    """``url`` without its trailing ``/`` when it is public, else None (no links are made from it)."""
    return url.rstrip("/") if url is not None and is_public(url) else None


def commit_url(repo_url: str | None, commit: str | None) -> str | None:
    """The commit's page on a public GitLab-style host (``<repo>/-/commit/<sha>``), else None."""
    if not commit or not is_public(repo_url):
        return None
    return f"{str(repo_url).removesuffix('.git').rstrip('/')}/-/commit/{commit}"
