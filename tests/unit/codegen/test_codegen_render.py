"""Rendering a repository from the catalogue's templates: common then language, partials, empty files."""

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
    "app/repository.py",
    "tests/test_health.py",
    "requirements.txt",
    "requirements-dev.txt",
    "Dockerfile",
    ".dockerignore",
    "README.md",
    ".gitignore",
    "catalog-info.yaml",
    "CODEOWNERS",
    ".editorconfig",
    ".gitlab-ci.yml",
    "chart/Chart.yaml",
    "chart/values-dev.yaml",
    "chart/values-staging.yaml",
    "chart/values-prod.yaml",
    "chart/templates/_helpers.tpl",
    "deploy/dev/manifests.yaml",
    "deploy/staging/manifests.yaml",
    "deploy/prod/manifests.yaml",
    "terraform/main.tf",
    "terraform/environments/dev.tfvars",
    "terraform/environments/prod.tfvars",
    ".agentic/service.json",
    ".agentic/manifest.json",
}


def _render(**raw: object) -> dict[str, bytes]:
    return TemplateRenderer().render(parse_parameters({"serviceName": "orders", **raw}))


def _tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)
    return root


def test_the_rendered_repository_has_every_required_file() -> None:
    # When the default (python, rest, no database) combination is rendered
    files = _render()

    # Then every file the golden path and the contract need is there, and no partial leaked out
    assert set(files) >= REQUIRED_FILES
    assert not [path for path in files if Path(path).name.startswith("_") and path.endswith(".j2")]
    assert "app/main.py" in files
    assert "app/api.py" in files
    assert "openapi.yaml" in files


def test_rendering_twice_gives_byte_identical_files() -> None:
    # Given the same parameters rendered by two renderers
    params = {"serviceName": "orders", "database": "redis", "pattern": "event", "strategy": "canary"}
    first = TemplateRenderer().render(parse_parameters(params))
    second = TemplateRenderer().render(parse_parameters(params))

    # Then the outputs are byte-identical
    assert first == second


def test_optional_files_follow_the_choices() -> None:
    # When an event consumer with DynamoDB and a REST API without a database are rendered
    event = _render(database="dynamodb", pattern="event")
    rest = _render()

    # Then each has only the files its choices need
    assert "app/consumer.py" in event
    assert "app/api.py" not in event
    assert "openapi.yaml" not in event
    assert "terraform/dynamodb.tf" in event
    assert "terraform/postgresql.tf" not in event
    assert "app/store.py" not in rest
    assert "terraform/dynamodb.tf" not in rest
    assert b"boto3==" in event["requirements.txt"]


def test_the_python_service_keeps_the_layout_the_local_target_runs() -> None:
    # When a python service is rendered
    files = _render()

    # Then app.main:app and requirements.txt are where uvicorn and the installer expect them
    assert b"\napp = create_app()\n" in files["app/main.py"]
    assert files["requirements.txt"].startswith(b"fastapi==")


def test_the_dockerfile_uses_the_requested_base_image_and_a_non_root_user() -> None:
    # When a service is rendered with a pinned base image
    dockerfile = _render(baseImage="python:3.11.9-slim")["Dockerfile"].decode()

    # Then both stages use it and the image runs as a non-root user with a health check
    assert dockerfile.count("FROM python:3.11.9-slim AS") == 2
    assert "USER 10001:10001" in dockerfile
    assert "HEALTHCHECK" in dockerfile


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


def test_custom_resources_get_models_and_routes() -> None:
    # Given two resources with typed fields
    resources = [
        {"name": "order", "fields": [{"name": "total", "type": "number", "required": True}]},
        {"name": "order_line", "plural": "lines", "fields": [{"name": "qty", "type": "integer"}]},
    ]

    # When they are rendered
    files = _render(resources=resources)

    # Then each has a model and CRUD routes, and the code parses
    models, api = files["app/models.py"].decode(), files["app/api.py"].decode()
    assert "class OrderLineIn(BaseModel)" in models
    assert "total: float" in models
    assert "qty: int | None" in models
    assert '"/lines/{item_id}"' in api
    assert '"/orders"' in api
    ast.parse(models)
    ast.parse(api)


def test_a_missing_template_variable_is_an_error_not_a_blank(tmp_path: Path) -> None:
    # Given a template that uses a variable the context does not define
    _tree(tmp_path, {"common/broken.txt.j2": "name: {{ service_name }}, team: {{ squad }}\n"})

    # When it is rendered
    with pytest.raises(RenderError) as failure:
        TemplateRenderer(tmp_path).render(parse_parameters({"serviceName": "orders"}))

    # Then the error names the template and the variable
    assert "broken.txt.j2" in str(failure.value)
    assert "squad" in str(failure.value)


def test_language_files_override_common_ones_and_partials_and_blanks_are_not_emitted(tmp_path: Path) -> None:
    # Given common and language templates at the same path, a partial, a blank template and a verbatim file
    _tree(
        tmp_path,
        {
            "common/pkg/mod.py.j2": "COMMON = True\n",
            "common/README.md.j2": "{% include language ~ '/_part.j2' %}\n",
            "common/blank.txt.j2": "{% if false %}never{% endif %}\n   \n",
            "common/chart/_helpers.tpl": "{{ .Values.name }}\n",
            "python/pkg/mod.py.j2": "NAME = {{ service_name | quote }}\n",
            "python/_part.j2": "# {{ service_name | pascal }}",
            "node/pkg/mod.py.j2": "NODE = True\n",
        },
    )

    # When a python service is rendered from that root
    files = TemplateRenderer(tmp_path).render(parse_parameters({"serviceName": "orders"}))

    # Then the language wins, the partial is included not emitted, blanks vanish, verbatim files are copied
    rendered = {k: v for k, v in files.items() if not k.startswith(".agentic/")}
    assert rendered == {
        "pkg/mod.py": b'NAME = "orders"\n',
        "README.md": b"# Orders",
        "chart/_helpers.tpl": b"{{ .Values.name }}\n",
    }
