"""Render a service repository from the catalogue's Jinja2 templates.

A combination renders ``templates/common/`` and then ``templates/<language>/``; a language file overrides
the common one at the same output path. ``x.j2`` renders to ``x``; other files are copied verbatim (the
Helm chart's Go templates). A template that renders to whitespace only is not emitted, and templates whose
base name starts with ``_`` are partials (included, never emitted). Rendering is deterministic: the
same parameters give byte-identical files.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from agentic_codegen.logic.catalogue import CatalogueEntry, entry_for
from agentic_codegen.logic.manifest import with_agentic_files
from agentic_codegen.logic.node_lock import node_lock
from agentic_codegen.logic.parameters import DATABASE_SETTINGS, ServiceParameters
from agentic_codegen.ports import RenderError

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COMMON = "common"
SUFFIX = ".j2"
PORT = 8080
LIFECYCLE = {"dev": "experimental", "staging": "production", "prod": "production"}


def quote(value: str) -> str:
    """A double-quoted literal valid in Python, YAML, JSON, JavaScript and Go alike."""
    return json.dumps(value)


def pascal(value: str) -> str:
    """``order_line`` → ``OrderLine`` (class and type names)."""
    return "".join(part.capitalize() for part in value.split("_"))


def camel(value: str) -> str:
    """``order_line`` → ``orderLine`` (JavaScript and JSON names)."""
    head = pascal(value)
    return head[:1].lower() + head[1:]


def template_context(params: ServiceParameters, entry: CatalogueEntry) -> dict[str, Any]:
    database_env, database_example = DATABASE_SETTINGS.get(params.database, (None, None))
    return {
        "service_name": params.service_name,
        "description": params.summary,
        "owner": params.owner,
        "system": params.system,
        "environment": params.environment,
        "environments": ["dev", "staging", "prod"],
        "lifecycle": LIFECYCLE[params.environment],
        "language": entry.language,
        "framework": entry.framework,
        "database": params.database,
        "database_env": database_env,
        "database_example": database_example,
        "pattern": params.pattern,
        "event_source": params.event_source,
        "strategy": params.strategy,
        "port": PORT,
        "base_image": params.base_image,
        "build_image": entry.build_image or params.base_image,
        "template_id": entry.id,
        "template_version": entry.version,
        "resources": [resource.model_dump() for resource in params.resources],
    }


@cache
def _environment(root: Path) -> Environment:
    """One Jinja environment per template root and process: templates are compiled once, then reused
    (Jinja re-reads a template when its file changes)."""
    env = Environment(
        loader=FileSystemLoader(root),
        undefined=StrictUndefined,
        autoescape=False,  # noqa: S701 - renders source code and YAML, never HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(quote=quote, pascal=pascal, camel=camel)
    env.globals.update(node_lock=node_lock)  # data, not a template: the Node lock named at render time
    return env


def _is_partial(name: str) -> bool:
    """``_x.j2`` is included by other templates, never emitted. Dunder names (``__init__.py.j2``) are not
    partials, and verbatim files such as Helm's ``_helpers.tpl`` are always copied."""
    base = PurePosixPath(name).name
    return name.endswith(SUFFIX) and base.startswith("_") and not base.startswith("__")


class TemplateRenderer:
    """The ``Renderer`` port over the template root (StrictUndefined: no silent blanks)."""

    def __init__(self, root: Path = TEMPLATES) -> None:
        if not (root / COMMON).is_dir():
            raise RenderError(f"template directory {root / COMMON} does not exist")
        self._root = root
        self._env = _environment(root.resolve())

    def sources(self, language: str) -> dict[str, str]:
        """Output path → template name, common first and then the language's (which wins)."""
        chosen: dict[str, str] = {}
        for folder in (COMMON, language):
            base = self._root / folder
            if not base.is_dir():
                continue
            for path in sorted(p for p in base.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                name = path.relative_to(self._root).as_posix()
                if _is_partial(name):
                    continue
                chosen[path.relative_to(base).as_posix().removesuffix(SUFFIX)] = name
        return chosen

    def _render_one(self, name: str, context: dict[str, Any]) -> bytes:
        if not name.endswith(SUFFIX):
            return (self._root / name).read_bytes()
        try:
            return self._env.get_template(name).render(context).encode("utf-8")
        except TemplateError as exc:
            raise RenderError(f"template {name} failed to render: {exc}") from exc

    def render(self, params: ServiceParameters) -> dict[str, bytes]:
        entry = entry_for(params.language)
        context = template_context(params, entry)
        files: dict[str, bytes] = {}
        for output, name in sorted(self.sources(params.language).items()):
            content = self._render_one(name, context)
            if content.strip():
                files[output] = content
        if not files:
            raise RenderError("the templates rendered no file")
        return with_agentic_files(entry, params, files)
