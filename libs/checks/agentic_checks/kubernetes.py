"""Kubernetes manifests against the pinned API version's strict schemas (kubernetes-validate's files).

kubernetes-validate re-reads its schema files on every call; here one validator per (apiVersion, kind)
is built once per process. Custom resources have no schema there: the kinds in ``KNOWN_CRDS`` get a
structural check of their own (``spec`` must be a mapping), and any other kind is reported, not skipped.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource

from agentic_checks.findings import Finding
from agentic_checks.yaml_fast import load_all

K8S_VERSION = "1.31.0"  # matches the kubectl v31 layer the platform deploys with
KNOWN_CRDS = frozenset(
    {
        ("argoproj.io/v1alpha1", "Rollout"),
        ("argoproj.io/v1alpha1", "AnalysisTemplate"),
        ("monitoring.coreos.com/v1", "ServiceMonitor"),
        ("monitoring.coreos.com/v1", "PrometheusRule"),
        ("keda.sh/v1alpha1", "ScaledObject"),
    }
)
TOOL = "kubernetes-validate"


def _schema_dir() -> Any:
    schemas = resources.files("kubernetes_validate").joinpath("kubernetes-json-schema")
    return schemas.joinpath(f"v{K8S_VERSION}-local-strict")


@cache
def _definitions() -> Resource[Any]:
    return Resource.from_contents(json.loads(_schema_dir().joinpath("_definitions.json").read_text()))


@cache
def _validator(api_version: str, kind: str) -> jsonschema.Draft202012Validator | None:
    """The strict validator for one kind, built once; None when the pinned version has no such kind."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema_file = _schema_dir().joinpath(f"{kind.lower()}-{group_version}.json")
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text())
    registry: Registry[Any] = Resource.from_contents(schema) @ (_definitions() @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def validate_kubernetes(text: bytes, path: str) -> list[Finding]:
    """Every problem of every document in ``text``: YAML syntax, missing apiVersion/kind, schema errors."""
    try:
        documents = [d for d in load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [_finding(path, f"not valid YAML: {exc}", mark.line if mark else None)]
    findings: list[Finding] = []
    for index, document in enumerate(documents):
        findings.extend(validate_document(document, path, index))
    return findings


def validate_document(document: Any, path: str, index: int = 0) -> list[Finding]:
    where = f"document {index + 1}"
    if not isinstance(document, dict) or not document.get("apiVersion") or not document.get("kind"):
        return [_finding(path, f"{where} is not a Kubernetes object (apiVersion and kind are required)")]
    api_version, kind = str(document["apiVersion"]), str(document["kind"])
    resource = f"{kind}/{(document.get('metadata') or {}).get('name', '?')}"
    if (api_version, kind) in KNOWN_CRDS:
        if not isinstance(document.get("spec"), dict):
            message = f"{resource}: custom resource {kind} needs a spec mapping"
            return [_finding(path, message, resource=resource)]
        return []
    validator = _validator(api_version, kind)
    if validator is None:
        return [
            _finding(
                path,
                f"{resource}: {api_version} {kind} is not a Kubernetes {K8S_VERSION} kind "
                "nor a known custom resource",
                resource=resource,
            )
        ]
    return [
        _finding(
            path,
            f"{resource}: {'.'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}",
            resource=resource,
        )
        for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]


def _finding(path: str, message: str, line: int | None = None, resource: str | None = None) -> Finding:
    return Finding(
        "k8s-schema",
        TOOL,
        "high",
        message[:500],
        path,
        line + 1 if line is not None else None,
        resource,
        f"fix the manifest to match the Kubernetes {K8S_VERSION} API (strict schema)",
    )
