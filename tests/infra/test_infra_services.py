"""Lambda and Fargate services in the template: runtime, architecture, handlers, event sources, sizing."""

from __future__ import annotations

import json

import pytest
from agentic_common.settings import CommonSettings
from agentic_common.topology import default_topology, physical_name
from agentic_infra.constructs.functions import api_handlers
from agentic_infra.constructs.workers import WORKER_DOCKERFILE
from agentic_infra.profiles import PROFILES, schedule_handler, secret_spec
from agentic_lambda_entry import resolve_handler
from agentic_local.serve import LAMBDA_SERVICES as LOCAL

pytestmark = pytest.mark.slow
TOPOLOGY = default_topology()
LAMBDA_SERVICES = [p for p in PROFILES.values() if p.runtime == "lambda"]
WORKERS = [p for p in PROFILES.values() if p.runtime == "fargate"]


def _functions(synthesized):
    return {p["FunctionName"]: p for p in synthesized.props("AWS::Lambda::Function") if "FunctionName" in p}


def test_every_function_is_arm64_and_python_3_11_or_a_container_image(synthesized):
    # Given our functions (not CDK's own custom-resource helpers)
    for name, props in _functions(synthesized).items():
        # Then each runs on Graviton; zip functions on python3.11 through the entry shim
        assert props["Architectures"] == ["arm64"], name
        if props.get("PackageType") == "Image":
            assert props["ImageConfig"]["Command"] == ["agentic_lambda_entry.handler"], name
        else:
            assert props["Runtime"] == "python3.11", name
            assert props["Handler"] == "agentic_lambda_entry.handler", name


@pytest.mark.parametrize("profile", LAMBDA_SERVICES, ids=lambda p: p.name)
def test_each_lambda_service_consumes_its_queue_with_partial_batch_responses(synthesized, profile):
    # Given the service's queue function and the event source mappings
    function = synthesized.stack.functions[profile.name].functions["queue"]
    mappings = [
        p
        for p in synthesized.props("AWS::Lambda::EventSourceMapping")
        if p["FunctionName"] == {"Ref": synthesized.logical_id(function)}
    ]
    [spec] = TOPOLOGY.queues_of(profile.name)
    queue = synthesized.stack.resources.queues[spec.name]
    # Then one mapping reads the topology queue and reports batch item failures
    [mapping] = mappings
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": [synthesized.logical_id(queue), "Arn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # And the function runs the service's queue handler, within the queue's visibility timeout
    props = _functions(synthesized)[f"agentic-dev-{profile.name}-queue"]
    assert props["Environment"]["Variables"]["AGENTIC_HANDLER"] == profile.queue_handler
    assert props["Timeout"] <= spec.visibility_timeout_seconds


def test_the_lambda_queue_handlers_are_the_ones_the_local_runner_invokes():
    assert {p.name: p.queue_handler for p in LAMBDA_SERVICES} == LOCAL


def test_there_is_one_api_function_per_distinct_api_handler(synthesized):
    # Given the distinct handlers of the topology's API routes
    handlers = sorted({r.handler for r in TOPOLOGY.api_routes})
    # Then exactly one function runs each of them
    running = sorted(
        p["Environment"]["Variables"]["AGENTIC_HANDLER"]
        for n, p in _functions(synthesized).items()
        if "-api" in n
    )
    assert running == handlers


def test_every_handler_the_app_deploys_is_importable():
    # Given every module:function the functions run (queues, schedules, API routes)
    refs = {p.queue_handler for p in LAMBDA_SERVICES} | {r.handler for r in TOPOLOGY.api_routes}
    refs |= {schedule_handler(s.target_service, s.entry_point) for s in TOPOLOGY.schedules}
    # Then each resolves to a callable in our code
    for ref in sorted(refs):
        assert callable(resolve_handler(ref)), ref


def test_the_planner_has_reserved_concurrency_and_the_reference_memory(synthesized):
    functions = _functions(synthesized)
    for role in ("api", "queue"):
        props = functions[f"agentic-dev-planner-{role}"]
        assert props["ReservedConcurrentExecutions"] == 10  # dev; prod reserves 100 (see config tests)
        assert props["MemorySize"] == 2048
    assert functions["agentic-dev-codegen-queue"]["MemorySize"] == 4096
    # the codegen function may run as long as its queue hides a message, never longer
    [codegen_queue] = default_topology().queues_of("codegen")
    assert functions["agentic-dev-codegen-queue"]["Timeout"] == codegen_queue.visibility_timeout_seconds
    assert functions["agentic-dev-planner-api"]["Timeout"] == 29
    assert "ReservedConcurrentExecutions" not in functions["agentic-dev-codegen-queue"]


def test_the_policy_functions_are_a_container_image_built_from_its_dockerfile(synthesized):
    functions = _functions(synthesized)
    assert functions["agentic-dev-policy-queue"]["PackageType"] == "Image"
    manifest = json.loads(next(synthesized.outdir.glob("*.assets.json")).read_text())
    dockerfiles = {a["source"].get("dockerFile") for a in manifest["dockerImages"].values()}
    assert "infra/images/policy-lambda/Dockerfile" in dockerfiles


def test_every_worker_image_is_built_from_the_one_worker_dockerfile_with_its_service_as_argument(synthesized):
    # Given the image assets of the synthesized stack
    manifest = json.loads(next(synthesized.outdir.glob("*.assets.json")).read_text())
    workers = [
        a["source"]
        for a in manifest["dockerImages"].values()
        if a["source"].get("dockerFile") == WORKER_DOCKERFILE
    ]
    # Then there is one per worker, each naming its service in the build arguments
    assert sorted(w["dockerBuildArgs"]["SERVICE"] for w in workers) == sorted(w.name for w in WORKERS)
    # And no per-service Dockerfile is left to drift from it
    assert not {a["source"].get("dockerFile") for a in manifest["dockerImages"].values()} - {
        WORKER_DOCKERFILE,
        "infra/images/policy-lambda/Dockerfile",
    }


def test_every_function_and_container_gets_the_otlp_endpoint_and_its_environment(synthesized):
    otlp = synthesized.context["otlp_endpoint"]
    for name, props in _functions(synthesized).items():
        variables = props["Environment"]["Variables"]
        assert variables["OTEL_EXPORTER_OTLP_ENDPOINT"] == otlp, name
        assert variables["AGENTIC_ENV"] == "dev", name
    for props in synthesized.props("AWS::ECS::TaskDefinition"):
        [container] = props["ContainerDefinitions"]
        env = {e["Name"]: e["Value"] for e in container["Environment"]}
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == otlp
        assert env["AGENTIC_ENV"] == "dev"


def test_functions_run_in_the_private_subnets(synthesized):
    for name, props in _functions(synthesized).items():
        subnets = props["VpcConfig"]["SubnetIds"]
        assert all("private" in s["Ref"] for s in subnets), name


@pytest.mark.parametrize("profile", WORKERS, ids=lambda p: p.name)
def test_each_worker_is_an_arm64_fargate_task_sized_as_configured(synthesized, profile):
    task = next(
        p
        for p in synthesized.props("AWS::ECS::TaskDefinition")
        if p["Family"] == f"agentic-dev-{profile.name}"
    )
    assert (task["Cpu"], task["Memory"]) == ("2048", "8192")
    assert task["RuntimePlatform"] == {"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"}
    assert task["RequiresCompatibilities"] == ["FARGATE"]


@pytest.mark.parametrize("profile", WORKERS, ids=lambda p: p.name)
def test_each_worker_runs_in_private_subnets_without_a_public_ip(synthesized, profile):
    service = next(
        p for p in synthesized.props("AWS::ECS::Service") if p["ServiceName"] == f"agentic-dev-{profile.name}"
    )
    network = service["NetworkConfiguration"]["AwsvpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    assert all("private" in s["Ref"] for s in network["Subnets"])
    assert service["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {
        "Enable": True,
        "Rollback": True,
    }


def test_workers_scale_between_2_and_10_on_cpu_and_on_queue_depth(synthesized):
    # Given the scalable targets and policies
    targets = synthesized.props("AWS::ApplicationAutoScaling::ScalableTarget")
    policies = synthesized.props("AWS::ApplicationAutoScaling::ScalingPolicy")
    # Then every worker scales 2..10
    assert len(targets) == len(WORKERS)
    assert all((t["MinCapacity"], t["MaxCapacity"]) == (2, 10) for t in targets)
    # And on 70 % CPU (target tracking) and on queue depth (step scaling), for each worker
    cpu = [p for p in policies if p["PolicyType"] == "TargetTrackingScaling"]
    assert len(cpu) == len(WORKERS)
    assert {p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] for p in cpu} == {70}
    assert {
        p["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"]["PredefinedMetricType"]
        for p in cpu
    } == {"ECSServiceAverageCPUUtilization"}
    steps = [p for p in policies if p["PolicyType"] == "StepScaling"]
    assert len(steps) == 2 * len(WORKERS)  # scale out and scale in
    depth_alarms = [
        a
        for a in synthesized.props("AWS::CloudWatch::Alarm")
        if a.get("MetricName") == "ApproximateNumberOfMessagesVisible"
        and "AlarmActions" in a
        and any("Scaling" in json.dumps(x) for x in a["AlarmActions"])
    ]
    assert len(depth_alarms) == 2 * len(WORKERS)


@pytest.mark.parametrize("profile", WORKERS, ids=lambda p: p.name)
def test_worker_secrets_are_injected_from_secrets_manager_not_the_environment(synthesized, profile):
    task = next(
        p
        for p in synthesized.props("AWS::ECS::TaskDefinition")
        if p["Family"] == f"agentic-dev-{profile.name}"
    )
    [container] = task["ContainerDefinitions"]
    injected = {s["Name"] for s in container.get("Secrets", [])}
    assert injected == {v for s in profile.secrets for v in secret_spec(s).env}
    assert not injected & {e["Name"] for e in container["Environment"]}


def test_the_queue_names_the_services_compute_are_the_deployed_ones(synthesized):
    settings = CommonSettings(agentic_env="dev")
    deployed = {p["QueueName"] for p in synthesized.props("AWS::SQS::Queue")}
    assert {settings.name(q.name) for q in TOPOLOGY.queues} <= deployed
    assert physical_name("agentic-dev", "workflows") == settings.name("workflows")
    assert api_handlers(TOPOLOGY, "planner")[0] == "agentic_planner.handler:api_handler"
