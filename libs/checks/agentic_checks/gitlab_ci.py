"""``.gitlab-ci.yml`` against the GitLab CI schema check-jsonschema vendors (GitLab's own schema)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

from agentic_checks.findings import Finding
from agentic_checks.yaml_fast import SafeLoader

TOOL = "gitlab-ci-schema"


class _GitLabLoader(SafeLoader):  # type: ignore[misc, valid-type]
    """Safe YAML plus GitLab's ``!reference [job, key]`` tag (kept as the list it names)."""


def _reference(loader: Any, node: yaml.Node) -> list[Any]:
    if not isinstance(node, yaml.SequenceNode):
        raise yaml.constructor.ConstructorError(None, None, "!reference needs a list", node.start_mark)
    return loader.construct_sequence(node)


_GitLabLoader.add_constructor("!reference", _reference)


@cache
def _validator() -> jsonschema.Draft7Validator:
    schema_file = resources.files("check_jsonschema").joinpath("builtin_schemas", "vendor", "gitlab-ci.json")
    return jsonschema.Draft7Validator(json.loads(schema_file.read_text(encoding="utf-8")))


def validate_gitlab_ci(text: bytes, path: str = ".gitlab-ci.yml") -> list[Finding]:
    try:
        document = yaml.load(text, Loader=_GitLabLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [_finding(path, f"not valid YAML: {exc}", mark.line + 1 if mark else None)]
    if not isinstance(document, dict):
        return [_finding(path, "the pipeline must be a YAML mapping of keywords and jobs")]
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [_finding(path, f"{'.'.join(map(str, e.absolute_path)) or '(root)'}: {_short(e)}") for e in errors]


def _short(error: jsonschema.ValidationError) -> str:
    best = jsonschema.exceptions.best_match([error, *error.context]) if error.context else error
    return best.message[:300]


def _finding(path: str, message: str, line: int | None = None) -> Finding:
    return Finding(
        "gitlab-ci-schema",
        TOOL,
        "high",
        message,
        path,
        line,
        remediation="see https://docs.gitlab.com/ci/yaml/ for the keyword reference",
    )
