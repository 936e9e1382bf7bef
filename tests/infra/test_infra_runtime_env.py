"""Every function and container gets, from the template, what its settings need to pick real adapters."""

from __future__ import annotations

import re

import pytest
from agentic_infra.profiles import PROFILES
from agentic_infra.runtime_config import RUNTIME_SETTINGS

pytestmark = pytest.mark.slow
ENVIRONMENTS = ("dev", "staging", "prod")
CREDENTIAL = re.compile(r"TOKEN|API_KEY|WEBHOOK|PASSWORD|SECRET")
REFERENCE = re.compile(r"(_ID|_ARN|^AGENTIC_SECRETS)$")  # names of secrets (ids, ARNs), not their values


def _environments(template: dict, env: str) -> dict[str, tuple[str, dict]]:
    """Function name or task family → (service, plain environment variables)."""
    found = {}
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::Lambda::Function" and "FunctionName" in props:
            service = props["FunctionName"].removeprefix(f"agentic-{env}-").split("-")[0]
            found[props["FunctionName"]] = (service, props["Environment"]["Variables"])
        elif resource["Type"] == "AWS::ECS::TaskDefinition":
            [container] = props["ContainerDefinitions"]
            service = props["Family"].removeprefix(f"agentic-{env}-")
            found[props["Family"]] = (service, {e["Name"]: e["Value"] for e in container["Environment"]})
    return found


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_each_service_gets_every_runtime_setting_it_reads_with_the_context_value(synth, env):
    synthesized = synth(env)
    for name, (service, variables) in _environments(synthesized.template, env).items():
        for setting in RUNTIME_SETTINGS:
            if service not in setting.services:
                assert setting.variable not in variables, f"{name} does not read {setting.variable}"
            elif setting.key in synthesized.context:
                assert variables[setting.variable] == synthesized.context[setting.key], name
            else:
                assert setting.variable in variables, f"{name} lacks {setting.variable}"


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_deployment_worker_deploys_through_argocd_checking_plans_on_the_stacks_own_api(synth, env):
    synthesized = synth(env)
    [(_, variables)] = [v for v in _environments(synthesized.template, env).values() if v[0] == "deployment"]
    assert variables["DEPLOYMENT_TARGET"] == "argocd"
    api = synthesized.logical_id(synthesized.stack.api.api)
    assert variables["POLICY_API_URL"] == {"Fn::GetAtt": [api, "ApiEndpoint"]}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_credential_is_a_plain_environment_variable(synth, env):
    for name, (_, variables) in _environments(synth(env).template, env).items():
        plain = {k for k in variables if CREDENTIAL.search(k) and not REFERENCE.search(k)}
        assert not plain, f"{name}: {sorted(plain)} must come from Secrets Manager"


def test_every_secret_a_service_reads_is_one_its_profile_names(synthesized):
    # Given the Lambda functions' secret references (ECS secrets are checked in test_infra_services)
    for props in synthesized.props("AWS::Lambda::Function"):
        if "FunctionName" not in props:
            continue
        service = props["FunctionName"].removeprefix("agentic-dev-").split("-")[0]
        references = str(props["Environment"]["Variables"]["AGENTIC_SECRETS"])
        named = {
            s
            for s in ("gitlab", "argocd", "terraformcloud", "policyapi", "slack", "anthropic")
            if f"secrets{s}" in references
        }
        assert named == {s.replace("-", "") for s in PROFILES[service].secrets}, service
