"""Render a service repository from the Jinja2 templates shipped with this package.

Every template under the template root is a ``*.j2`` file; the output path is its path without
the suffix. Rendering is deterministic: the same parameters give byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from agentic_codegen.logic.parameters import DATABASE_SETTINGS, ServiceParameters
from agentic_codegen.ports import RenderError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PYTHON_FASTAPI = TEMPLATES / "python-fastapi"
SUFFIX = ".j2"
LIFECYCLE = {"dev": "experimental", "staging": "production", "prod": "production"}


def quote(value: str) -> str:
    """A double-quoted literal valid in Python, YAML and JSON alike."""
    return json.dumps(value)


def template_context(params: ServiceParameters) -> dict[str, Any]:
    database_env, database_example = DATABASE_SETTINGS.get(params.database, (None, None))
    return {
        "service_name": params.service_name,
        "description": params.summary,
        "owner": params.owner,
        "system": params.system,
        "environment": params.environment,
        "lifecycle": LIFECYCLE[params.environment],
        "database": params.database,
        "database_env": database_env,
        "database_example": database_example,
        "base_image": params.base_image,
    }


class TemplateRenderer:
    """The ``Renderer`` port over a directory of Jinja2 templates (StrictUndefined: no silent blanks)."""

    def __init__(self, root: Path = PYTHON_FASTAPI) -> None:
        if not root.is_dir():
            raise RenderError(f"template directory {root} does not exist")
        self._env = Environment(
            loader=FileSystemLoader(root),
            undefined=StrictUndefined,
            autoescape=False,  # noqa: S701 - renders source code and YAML, never HTML
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["quote"] = quote

    def template_names(self) -> list[str]:
        return sorted(name for name in self._env.list_templates() if name.endswith(SUFFIX))

    def render(self, params: ServiceParameters) -> dict[str, bytes]:
        context = template_context(params)
        files: dict[str, bytes] = {}
        for name in self.template_names():
            try:
                text = self._env.get_template(name).render(context)
            except TemplateError as exc:
                raise RenderError(f"template {name} failed to render: {exc}") from exc
            files[name.removesuffix(SUFFIX)] = text.encode("utf-8")
        if not files:
            raise RenderError("the template directory holds no *.j2 templates")
        return files
