"""Rendering the Python FastAPI service from the Jinja2 templates."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from agentic_codegen.logic.parameters import parse_parameters
from agentic_codegen.logic.render import TemplateRenderer
from agentic_codegen.ports import RenderError

REQUIRED_FILES = {
    "app/__init__.py",
    "app/main.py",
    "tests/test_app.py",
    "requirements.txt",
    "requirements-dev.txt",
    "Dockerfile",
    "README.md",
    ".gitignore",
    ".dockerignore",
    "catalog-info.yaml",
}


def _render(**raw: str) -> dict[str, bytes]:
    return TemplateRenderer().render(parse_parameters({"serviceName": "orders", **raw}))


def test_the_rendered_repository_has_every_required_file() -> None:
    # When the default template is rendered
    files = _render()

    # Then every file the golden path needs is there
    assert set(files) >= REQUIRED_FILES


def test_rendering_twice_gives_byte_identical_files() -> None:
    # Given the same parameters twice
    # When both are rendered by separate renderers
    first = TemplateRenderer().render(parse_parameters({"serviceName": "orders", "database": "redis"}))
    second = TemplateRenderer().render(parse_parameters({"serviceName": "orders", "database": "redis"}))

    # Then the outputs are byte-identical
    assert first == second


def test_different_parameters_give_different_files() -> None:
    # When two databases are rendered
    with_redis = _render(database="redis")
    with_postgres = _render(database="postgresql")

    # Then the configuration differs
    assert with_redis["app/config.py"] != with_postgres["app/config.py"]
    assert b"REDIS_URL" in with_redis["app/config.py"]
    assert b"DATABASE_URL" in with_postgres["app/config.py"]


def test_the_dockerfile_uses_the_requested_base_image_and_a_non_root_user() -> None:
    # When a service is rendered with a pinned base image
    dockerfile = _render(baseImage="python:3.11.9-slim")["Dockerfile"].decode()

    # Then both stages use it and the image runs as a non-root user with a health check
    assert dockerfile.count("FROM python:3.11.9-slim AS") == 2
    assert "USER 10001:10001" in dockerfile
    assert "HEALTHCHECK" in dockerfile
    assert "EXPOSE 8080" in dockerfile


def test_the_catalog_entry_carries_owner_lifecycle_and_system() -> None:
    # When a production service is rendered for a team
    catalog = _render(owner="team-orders", environment="prod")["catalog-info.yaml"].decode()

    # Then Backstage sees the owner, a production lifecycle and the system
    assert "kind: Component" in catalog
    assert 'owner: "team-orders"' in catalog
    assert "lifecycle: production" in catalog
    assert 'system: "agentic-services"' in catalog


def test_a_description_with_quotes_stays_valid_python() -> None:
    # Given a description with quotes and a backslash
    description = 'The "orders" API \\ v2'

    # When it is rendered into the application module
    main = _render(description=description)["app/main.py"].decode()

    # Then the module still parses and holds the exact text
    assignments = {
        node.targets[0].id: node.value
        for node in ast.parse(main).body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    assert ast.literal_eval(assignments["DESCRIPTION"]) == description


def test_requirements_are_pinned_exactly() -> None:
    # When a service is rendered
    files = _render()

    # Then every requirement line pins a version with ==
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [line for line in files[name].decode().splitlines() if line and not line.startswith("-r ")]
        assert lines
        assert all("==" in line for line in lines), name


def test_a_missing_template_variable_is_an_error_not_a_blank(tmp_path: Path) -> None:
    # Given a template that uses a variable the context does not define
    (tmp_path / "broken.txt.j2").write_text("name: {{ service_name }}, team: {{ squad }}\n")

    # When it is rendered
    with pytest.raises(RenderError) as failure:
        TemplateRenderer(tmp_path).render(parse_parameters({"serviceName": "orders"}))

    # Then the error names the template and the variable
    assert "broken.txt.j2" in str(failure.value)
    assert "squad" in str(failure.value)


def test_output_paths_drop_the_template_suffix_and_keep_folders(tmp_path: Path) -> None:
    # Given a nested template
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py.j2").write_text("NAME = {{ service_name | quote }}\n")

    # When it is rendered
    files = TemplateRenderer(tmp_path).render(parse_parameters({"serviceName": "orders"}))

    # Then the output keeps its folder and loses .j2
    assert files == {"pkg/mod.py": b'NAME = "orders"\n'}
