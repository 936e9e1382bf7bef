"""Helm lint/template and strict Kubernetes validation of the chart and the committed manifests.

Argo Rollouts' ``Rollout`` has no schema in kubernetes-validate's pinned Kubernetes version. It is handled
explicitly: its pod template is validated strictly as the template of an ``apps/v1`` Deployment (the same
``PodTemplateSpec``), and its strategy against ``ROLLOUT_STRATEGY`` below (canary steps 10 → 50 → 100
with pauses, or blue-green with an active and a preview Service).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import yaml
from agentic_checks.helm import HelmError, helm_lint, helm_template
from agentic_checks.kubernetes import validate_document

from agentic_gate.combinations import ENVIRONMENTS
from agentic_gate.outcome import Outcome, describe, from_problems

ROLLOUT_STRATEGY = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
    "properties": {
        "canary": {
            "type": "object",
            "required": ["steps"],
            "properties": {
                "steps": {
                    "type": "array",
                    "prefixItems": [
                        {"const": {"setWeight": 10}},
                        {"required": ["pause"]},
                        {"const": {"setWeight": 50}},
                        {"required": ["pause"]},
                        {"const": {"setWeight": 100}},
                    ],
                    "minItems": 5,
                    "maxItems": 5,
                }
            },
        },
        "blueGreen": {
            "type": "object",
            "required": ["activeService", "previewService"],
            "properties": {
                "activeService": {"type": "string"},
                "previewService": {"type": "string"},
                "autoPromotionEnabled": {"type": "boolean"},
            },
        },
    },
}


def objects(text: str) -> list[dict[str, Any]]:
    """The Kubernetes objects in a multi-document YAML stream, sorted by kind and name."""
    found = [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return sorted(found, key=lambda o: (o.get("kind", ""), o.get("metadata", {}).get("name", "")))


def _rollout_problems(rollout: dict[str, Any], path: str) -> list[str]:
    spec = rollout.get("spec") or {}
    as_deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": rollout.get("metadata", {}),
        "spec": {
            key: spec[key]
            for key in ("replicas", "selector", "template", "revisionHistoryLimit")
            if key in spec
        },
    }
    problems = [describe(f) for f in validate_document(as_deployment, path)]
    validator = jsonschema.Draft202012Validator(ROLLOUT_STRATEGY)
    problems += [
        f"{path}: Rollout strategy: {e.message}" for e in validator.iter_errors(spec.get("strategy"))
    ]
    return problems


def validate_objects(items: list[dict[str, Any]], path: str) -> list[str]:
    problems: list[str] = []
    for index, item in enumerate(items):
        if (item.get("apiVersion"), item.get("kind")) == ("argoproj.io/v1alpha1", "Rollout"):
            problems += _rollout_problems(item, path)
        problems += [describe(f) for f in validate_document(item, path, index)]
    return problems


def check_helm(root: Path) -> Outcome:
    """helm lint --strict and helm template per environment; templates equal deploy/<env>/manifests.yaml."""
    problems: list[str] = []
    chart = root / "chart"
    for env in ENVIRONMENTS:
        values = [chart / f"values-{env}.yaml"]
        problems += [describe(f) for f in helm_lint(chart, values)]
        try:
            rendered = objects(helm_template(chart, values))
        except HelmError as exc:
            problems.append(str(exc))
            continue
        committed = objects((root / "deploy" / env / "manifests.yaml").read_text())
        if rendered != committed:
            problems.append(f"deploy/{env}/manifests.yaml differs from helm template with values-{env}.yaml")
    return from_problems(problems)


def check_kubernetes(root: Path) -> Outcome:
    """Strict schema validation (pinned Kubernetes version) of every committed manifest."""
    problems: list[str] = []
    for env in ENVIRONMENTS:
        path = f"deploy/{env}/manifests.yaml"
        problems += validate_objects(objects((root / path).read_text()), path)
    return from_problems(problems)
