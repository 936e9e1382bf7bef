"""The web console's built files, served by the local gateway at ``/console/`` (same origin as the API).

``make console`` (run by ``make up``; ``scripts/build_console.py``) builds ``console/dist`` from the
npm-locked sources when they changed. Only files inside that folder are served; ``/console/`` is its
``index.html``, never cached (it names the hashed bundles, which are cached for a day).
"""

from __future__ import annotations

from pathlib import Path

PREFIX = "/console"
DIST = Path(__file__).resolve().parents[3] / "console" / "dist"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
}


def is_console(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def console_file(path: str, dist: Path | None = None) -> tuple[bytes, dict[str, str]] | None:
    """The file for ``/console/<name>`` and its headers; None when there is no such built file."""
    dist = dist or DIST
    name = path.removeprefix(PREFIX).lstrip("/") or "index.html"
    root = dist.resolve()
    file = (root / name).resolve()
    if not file.is_relative_to(root) or not file.is_file() or file.suffix not in TYPES:
        return None
    cache = "no-cache" if file.name == "index.html" else "max-age=86400"
    return file.read_bytes(), {"Content-Type": TYPES[file.suffix], "Cache-Control": cache}


def missing_detail(path: str, dist: Path | None = None) -> str:
    dist = dist or DIST
    if not (dist / "index.html").is_file():
        return f"{path}: the console is not built; run `make console`, then reload"
    return f"{path} is not a file of the console; open /console/"
