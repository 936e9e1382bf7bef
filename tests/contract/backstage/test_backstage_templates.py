"""The Backstage files: generated from the catalogue, valid for Backstage, and accepted by the API.

Each template is checked with Backstage's own validator (the official v1beta3 JSON Schema from
@backstage/plugin-scaffolder-common), its step is rendered with nunjucks for a sample form input as
the scaffolder would, and the rendered body is posted to the planner API on the local AWS.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from agentic_planner.bootstrap import Planner, build
from agentic_planner.logic.catalogue import Catalogue
from agentic_planner.settings import PlannerSettings

from scripts.backstage_templates import ROOT, drift
from tests.contract.backstage.scaffolder_node import Scaffolder, scaffolder
from tests.helpers import api_event
from tests.tools import locate

NAMES = Catalogue.load().names
PLATFORM = json.loads((ROOT / "platform.json").read_text())
USER = {"ref": "user:default/jane", "entity": {"kind": "User", "metadata": {"name": "jane"}}}
SAMPLE_NAMES = ("microservice-rest-api", "deploy", "service-upgrade")


def git_repository(home: Path, name: str) -> tuple[str, str]:
    """A bare repository of the platform's local Git host with one commit: (its URL, the commit)."""
    work, bare = home / "work" / name, home / "git" / "services" / f"{name}.git"
    work.mkdir(parents=True)
    git = [str(locate("git")), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    (work / "README.md").write_text(f"# {name}\n")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "first"]):
        subprocess.run([*git, *args], cwd=work, check=True, capture_output=True)
    bare.parent.mkdir(parents=True)
    subprocess.run([*git, "clone", "-q", "--bare", str(work), str(bare)], check=True, capture_output=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], cwd=work, check=True, capture_output=True, text=True)
    return bare.as_uri(), commit.stdout.strip()


def sample_form(name: str, home: Path) -> dict[str, Any]:
    """What a user would fill in the template's form (a fresh service name per test)."""
    service = f"bs-{uuid.uuid4().hex[:8]}"
    if name == "deploy":
        repo_url, commit = git_repository(home, service)
        return {"service": service, "version": commit[:12], "environment": "dev", "repoUrl": repo_url}
    if name == "service-upgrade":
        return {"serviceName": service, "database": "postgresql"}
    return {"serviceName": service, "language": "nodejs", "environment": "dev"}


@pytest.fixture(scope="module")
def node() -> Scaffolder:
    return scaffolder()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def planner(queue_urls: dict[str, str], aws_settings, home: Path) -> Planner:
    settings = PlannerSettings(
        agentic_env="test", aws_endpoint_url=aws_settings.aws_endpoint_url, agentic_home=home
    )
    return build(settings)


def template(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "templates" / f"{name}.yaml").read_text())


def test_the_backstage_files_are_what_the_generator_makes_from_the_catalogue() -> None:
    # Given the catalogue and backstage/platform.json / When the generator runs in check mode
    differs = drift()
    # Then no file differs
    assert differs == [], f"run `uv run --frozen python scripts/backstage_templates.py`: {differs}"


def test_every_catalogue_template_has_a_sample_form_here() -> None:
    assert sorted(SAMPLE_NAMES) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_template_passes_backstages_own_v1beta3_validator(node: Scaffolder, name: str) -> None:
    # Given a generated template / When Backstage's validator checks it
    verdict = node.validate_template(template(name))
    # Then it is a valid scaffolder.backstage.io/v1beta3 Template
    assert verdict.valid, verdict.error


def test_the_validator_refuses_a_template_without_steps(node: Scaffolder) -> None:
    # Given a template whose spec lost its steps
    broken = template("deploy")
    del broken["spec"]["steps"]
    # When validated / Then it is refused, naming what is missing
    verdict = node.validate_template(broken)
    assert not verdict.valid
    assert "steps" in verdict.error


def test_every_catalog_info_entity_passes_the_catalog_models_validator(node: Scaffolder) -> None:
    # Given catalog-info.yaml, its $text placeholder resolved as the catalog's placeholder processor
    # does before validation (it reads the URL; the text stands in for the fetched document)
    entities = list(yaml.safe_load_all((ROOT / "catalog-info.yaml").read_text()))
    for entity in entities:
        if entity["kind"] == "API":
            entity["spec"]["definition"] = '{"openapi": "3.1.0"}'
    # When each entity is checked by @backstage/catalog-model
    verdicts = {(e["kind"], e["metadata"]["name"]): node.validate_entity(e) for e in entities}
    # Then every one is valid
    assert {k: v.error for k, v in verdicts.items() if not v.valid} == {}
    kinds = sorted(kind for kind, _ in verdicts)
    assert kinds == ["API", "Component", *["Component"] * 5, "Location", "System"]


def test_catalog_info_points_the_api_at_the_openapi_document_and_registers_every_template() -> None:
    entities = {e["kind"]: e for e in yaml.safe_load_all((ROOT / "catalog-info.yaml").read_text())}
    assert entities["API"]["spec"]["definition"] == {"$text": f"{PLATFORM['publicUrl']}/openapi.json"}
    targets = entities["Location"]["spec"]["targets"]
    assert [(ROOT / t).resolve() for t in targets] == [(ROOT / "templates" / f"{n}.yaml") for n in NAMES]


@pytest.mark.parametrize("name", NAMES)
def test_each_template_rendered_for_a_sample_form_starts_a_workflow_and_links_it(
    node: Scaffolder, planner: Planner, home: Path, name: str
) -> None:
    # Given the template's step rendered with nunjucks for a sample form, as Backstage's user jane
    spec = template(name)["spec"]
    step = spec["steps"][0]
    form = sample_form(name, home)
    request = node.render(step["input"], {"parameters": form, "user": USER})
    assert step["action"] == "http:backstage:request"
    assert request["path"] == f"{PLATFORM['proxyPath']}/workflows"
    # When the rendered body is posted with jane's token (what the proxy forwards)
    event = api_event(request["method"], "/workflows", request["body"], claims={"sub": USER["ref"]})
    response = planner.handle_api(event, None)
    # Then the API creates the workflow for jane
    body = json.loads(response["body"])
    assert response["statusCode"] == 201, body
    assert (body["template"], body["requestedBy"], body["via"]) == (name, USER["ref"], None)
    # And the template's output links that workflow on the platform's public URL
    steps = {step["id"]: {"output": {"code": 201, "headers": response["headers"], "body": body}}}
    output = node.render(spec["output"], {"parameters": form, "user": USER, "steps": steps})
    assert output["links"][0] == {
        "title": f"Workflow {body['workflowId']}",
        "url": f"{PLATFORM['publicUrl']}/workflows/{body['workflowId']}",
    }
