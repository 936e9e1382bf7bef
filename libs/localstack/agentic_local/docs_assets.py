"""Swagger UI's files for the ``/docs`` page, served by the local gateway at ``/docs/assets/<name>``.

They come from the swagger-ui-dist npm package that ``make tools`` installs into ``swagger_ui/``
beside this module (``npm ci``, idempotent). Only the files the page loads are served, by name.
"""

from __future__ import annotations

from pathlib import Path

PREFIX = "/docs/assets/"
DIST = Path(__file__).with_name("swagger_ui") / "node_modules" / "swagger-ui-dist"
TYPES = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}


def asset(path: str, dist: Path = DIST) -> tuple[bytes, str] | None:
    """The file and its content type for ``/docs/assets/<name>``; None when the name is not one served."""
    name = path.removeprefix(PREFIX)
    if not path.startswith(PREFIX) or name not in TYPES:
        return None
    file = dist / name
    if not file.is_file():
        return None
    return file.read_bytes(), TYPES[name]


def missing_detail(path: str) -> str:
    return f"{path} is not served: run `make tools` to install swagger-ui-dist (npm), then reload /docs"
