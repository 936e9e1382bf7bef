"""Synth to boot: every Lambda function and Fargate container of dev, staging and prod starts from exactly
the environment its template gives it, picks the real adapters, and handles one message or request.

Per environment (one synth each, shared with the other infra tests): the template's queues, tables,
buckets, bus, rules and secrets are created in the local AWS under the template's names, the secrets
seeded as a deployer would (pointing at the local stand-ins of Slack and the rest); the context points
the endpoints at the local ArgoCD, Terraform Cloud, Prometheus, GitLab and Anthropic servers.

Each entry point runs in its own process with only: the template's variables (intrinsics resolved against
the local AWS), what the runtime adds (region, credentials, function name), ``AWS_ENDPOINT_URL`` (the
local AWS) and a scratch ``AGENTIC_HOME``. Its code is what the deployment ships: the staged Lambda asset,
or the packages the image's Dockerfile copies, from the synthesized asset; third-party packages come from
this environment (their lists are checked in test_infra_packaging). ECS secrets are injected as ECS does.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.infra.boot_messages import LAMBDA_CASES, WORKER_CASES, Deployed
from tests.infra.template_aws import provision_template

pytestmark = pytest.mark.slow
ENVIRONMENTS = ("dev", "staging", "prod")
HARNESS = Path(__file__).with_name("boot_harness.py")
SITE_PACKAGES = sysconfig.get_paths()["purelib"]
BOOT_SECONDS = 90
BOOTS_AT_ONCE = 3  # fresh processes booting side by side: each is mostly one core importing

# The real (non-local) adapters each entry point must have built, and the local ones it must not have.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    # each planner entry point builds only its part: the API its proposer, the events their channels
    "agentic_planner.handler:api_handler": ({"ClaudePlanProposer", "DynamoDBStateStore"}, set()),
    "agentic_planner.handler:events_handler": ({"SlackWebhookNotifier", "DynamoDBStateStore"}, set()),
    "agentic_planner.handler:sweep_handler": ({"DynamoDBStateStore"}, set()),
    "agentic_codegen": ({"GitLabHost", "ClaudeResourceProposer", "S3ArtifactStore"}, {"LocalGitHost"}),
    "agentic_policy.handler:lambda_handler": ({"GitLabHost", "S3ArtifactStore"}, {"LocalGitHost"}),
    "agentic_policy.handler:api_handler": ({"DynamoDBDecisionStore", "DynamoDBWaiverStore"}, set()),
    "agentic_observability.handler:api_handler": ({"ClaudeSummarizer", "DynamoDBTables"}, set()),
    "agentic_deployment": (
        {"RemoteTarget", "ArgoCd", "TerraformCloud", "PolicyApiClient", "ArgoActions"},
        {"LocalReleaseTarget", "LocalProcessTarget", "LocalActions"},
    ),
    "agentic_observability": ({"PrometheusSource", "ClaudeSummarizer"}, {"LocalScrapeSource"}),
    "agentic_remediation": ({"ClaudeRanker"}, set()),
}


def expected_for(handler: str) -> tuple[set[str], set[str]]:
    return EXPECTED.get(handler) or EXPECTED[handler.split(".", maxsplit=1)[0]]


@pytest.fixture(scope="module")
def deployed(synth, peers, moto_server, aws_clients) -> Callable[[str], Deployed]:
    """``deployed(env)``: the environment's template provisioned into the local AWS, once per module."""
    done: dict[str, Deployed] = {}

    def provision(env: str) -> Deployed:
        if env not in done:
            synthesized = synth(env)
            template = synthesized.template
            aws = provision_template(
                template, aws_clients.client, peers.secret_values, peers.platform_api.url
            )
            sqs, events = aws_clients.client("sqs"), aws_clients.client("events")
            capture = sqs.create_queue(QueueName=f"boot-listener-{env}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=capture, AttributeNames=["QueueArn"])["Attributes"]
            deployment = Deployed(env, synthesized.outdir, aws, aws_clients.client, capture, peers)
            events.put_rule(
                Name=f"boot-listener-{env}",
                EventBusName=deployment.bus(),
                EventPattern=json.dumps({"source": [{"prefix": "agentic."}]}),
            )
            events.put_targets(
                Rule=f"boot-listener-{env}",
                EventBusName=deployment.bus(),
                Targets=[{"Id": "listener", "Arn": arn["QueueArn"]}],
            )
            done[env] = deployment
        return done[env]

    return provision


def _runtime_env(moto_url: str, home: Path, code: Path) -> dict[str, str]:
    """What the platform adds to a template's variables, plus the local AWS and a scratch home."""
    return {
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": moto_url,
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": f"{code}{os.pathsep}{SITE_PACKAGES}",
        "AGENTIC_HOME": str(home),
    }


def _functions(deployed: Deployed) -> dict[str, dict[str, Any]]:
    prefix = f"agentic-{deployed.env}-"
    return {
        r["Properties"]["FunctionName"]: r
        for r in deployed.aws.resources("AWS::Lambda::Function").values()
        if str(r["Properties"].get("FunctionName", "")).startswith(prefix)
    }


def _image_source(outdir: Path, image: Any) -> tuple[Path, str, dict[str, str]]:
    """The staged Docker context, Dockerfile and build arguments of an image asset (the assembly manifest)."""
    digest = json.dumps(image).rsplit(":", 1)[-1].strip('"}] ')
    manifest = json.loads(next(outdir.glob("*.assets.json")).read_text())
    source = manifest["dockerImages"][digest]["source"]
    return outdir / source["directory"], source["dockerFile"], source.get("dockerBuildArgs", {})


def _copy_into(context: Path, src: str, target: Path) -> None:
    if (context / src).is_dir():
        shutil.copytree(context / src, target, dirs_exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)  # COPY <file> /opt/agentic/ (a directory)
        shutil.copy2(context / src, target)


def image_root(
    context: Path, dockerfile: str, dest: Path, build_args: dict[str, str]
) -> tuple[Path, dict[str, str], list[str]]:
    """/opt/agentic as the Dockerfile builds it from our sources (its build arguments substituted, as
    Docker does), its final ENV and its ENTRYPOINT."""
    text = re.sub(
        r"\$\{(\w+)\}", lambda m: build_args.get(m.group(1), m.group(0)), (context / dockerfile).read_text()
    )
    final = text.rsplit("\nFROM ", 1)[-1]
    for src, dst in re.findall(r"^COPY (?!--)(\S+) (/opt/agentic/\S*)$", text, flags=re.MULTILINE):
        _copy_into(context, src, dest / dst.removeprefix("/opt/agentic/"))
    # the worker image copies the packages its PACKAGES build argument names (from the same context paths)
    for listed in re.findall(r"for package in ([^;]*); do cp -R \S+ /opt/agentic/", text):
        for src in listed.split():
            _copy_into(context, src, dest / Path(src).name)
    env_line = re.search(r"^ENV (.+)$", final, flags=re.MULTILINE)
    env = dict(pair.split("=", 1) for pair in env_line.group(1).split()) if env_line else {}
    entry = re.search(r"^ENTRYPOINT (\[.+\])$", final, flags=re.MULTILINE)
    return dest, env, json.loads(entry.group(1)) if entry else []


def _command(entrypoint: list[str], env: dict[str, str]) -> list[str]:
    """The process an exec-form ENTRYPOINT starts: ``sh -c "exec ..."`` expanded with the image's ENV."""
    if entrypoint[:2] != ["sh", "-c"]:
        return entrypoint
    line = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], entrypoint[2])
    words = shlex.split(line)
    return words[1:] if words[:1] == ["exec"] else words


def _lambda_code(outdir: Path, resource: dict[str, Any], tmp: Path) -> Path:
    props = resource["Properties"]
    if props.get("PackageType") == "Image":
        context, dockerfile, build_args = _image_source(outdir, props["Code"]["ImageUri"])
        return image_root(context, dockerfile, tmp / "opt-agentic", build_args)[0]
    digest = str(props["Code"]["S3Key"]).removesuffix(".zip")
    manifest = json.loads(next(outdir.glob("*.assets.json")).read_text())
    return outdir / manifest["files"][digest]["source"]["path"]


def _run(args: list[str], env: dict[str, str], report: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-S", str(HARNESS), *args, str(report)],
        env=env,
        capture_output=True,
        text=True,
        timeout=BOOT_SECONDS,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(report.read_text())


def _assert_adapters(key: str, types: list[str]) -> None:
    names = {t.rsplit(".", 1)[-1] for t in types}
    real, local = expected_for(key)
    assert real <= names, f"{key}: missing real adapters {sorted(real - names)}; built {sorted(names)}"
    assert not local & names, f"{key}: built local adapters {sorted(local & names)}"


LAMBDAS = [(env, handler) for env in ENVIRONMENTS for handler in LAMBDA_CASES]
WORKERS = [(env, package) for env in ENVIRONMENTS for package in WORKER_CASES]


def _lambda_boot(
    target: Deployed, handler: str, moto_url: str, tmp: Path
) -> tuple[list[str], dict[str, str], Path, Any]:
    """The function of ``target`` running ``handler``, readied: (harness args, environment, report, check)."""
    [resource] = [
        r
        for r in _functions(target).values()
        if r["Properties"]["Environment"]["Variables"]["AGENTIC_HANDLER"] == handler
    ]
    variables = {
        k: str(target.aws.resolve(v)) for k, v in resource["Properties"]["Environment"]["Variables"].items()
    }
    code = _lambda_code(target.outdir, resource, tmp)
    environment = variables | _runtime_env(moto_url, tmp / "home", code)
    environment["AWS_LAMBDA_FUNCTION_NAME"] = resource["Properties"]["FunctionName"]
    event, check = LAMBDA_CASES[handler](target)
    (tmp / "event.json").write_text(json.dumps(event))
    return ["lambda", str(tmp / "event.json")], environment, tmp / "report.json", check


Boots = Callable[[str], dict[str, tuple["Future[dict[str, Any]]", Any]]]


@pytest.fixture(scope="module")
def lambda_boots(deployed, moto_server, tmp_path_factory) -> Iterator[Boots]:
    """``lambda_boots(env)``: each function of the environment booted in its own fresh process, a few
    side by side (a boot is mostly one process importing its handler). Cases are readied one by one here,
    on this thread; only the processes run in the pool."""
    pool = ThreadPoolExecutor(max_workers=BOOTS_AT_ONCE, thread_name_prefix="boot")
    started: dict[str, dict[str, tuple[Future[dict[str, Any]], Any]]] = {}

    def boots(env: str) -> dict[str, tuple[Future[dict[str, Any]], Any]]:
        if env not in started:
            target, started[env] = deployed(env), {}
            for handler in LAMBDA_CASES:
                tmp = tmp_path_factory.mktemp(f"boot-{env}")
                args, environment, report, check = _lambda_boot(target, handler, moto_server.url, tmp)
                started[env][handler] = (pool.submit(_run, args, environment, report), check)
        return started[env]

    yield boots
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize(("env", "handler"), LAMBDAS, ids=[f"{e}-{h}" for e, h in LAMBDAS])
def test_each_lambda_boots_from_its_template_environment_and_handles_one_event(lambda_boots, env, handler):
    # Given the function of this environment that runs ``handler``, its variables resolved in the local AWS
    # When the entry shim handles its case's event in a fresh process
    booted, check = lambda_boots(env)[handler]
    report = booted.result()
    # Then it built the real adapters its environment names, and the event was handled
    _assert_adapters(handler, report["types"])
    check(report["result"])


def _container_environment(target: Deployed, container: dict[str, Any]) -> dict[str, str]:
    """The task definition's variables and, as the ECS agent does, each secret's JSON key read at start."""
    variables = {e["Name"]: str(target.aws.resolve(e["Value"])) for e in container["Environment"]}
    secrets = target.client("secretsmanager")
    for secret in container.get("Secrets", []):
        arn, key, _stage, _version = target.aws.resolve(secret["ValueFrom"]).rsplit(":", 3)
        value = json.loads(secrets.get_secret_value(SecretId=arn)["SecretString"])
        assert key in value, f"ECS would not start the task: secret {arn} has no key {key!r}"
        variables[secret["Name"]] = value[key]
    return variables


@pytest.mark.parametrize(("env", "package"), WORKERS, ids=[f"{e}-{p}" for e, p in WORKERS])
def test_each_fargate_worker_boots_from_its_task_definition_and_handles_one_message(
    deployed, moto_server, tmp_path, env, package
):
    # Given the worker's task definition and the image its Dockerfile builds from the synthesized context
    target = deployed(env)
    service = package.removeprefix("agentic_")
    [task] = [
        r["Properties"]
        for r in target.aws.resources("AWS::ECS::TaskDefinition").values()
        if r["Properties"]["Family"] == f"agentic-{env}-{service}"
    ]
    [container] = task["ContainerDefinitions"]
    context, dockerfile, build_args = _image_source(target.outdir, container["Image"])
    code, image_env, entrypoint = image_root(context, dockerfile, tmp_path / "opt-agentic", build_args)
    assert _command(entrypoint, image_env) == ["python", "-m", package]
    environment = (
        {k: v for k, v in image_env.items() if k != "PYTHONPATH"}
        | _container_environment(target, container)
        | _runtime_env(moto_server.url, tmp_path / "home", code)
    )
    report_file, log = tmp_path / "report.json", tmp_path / "worker.log"
    # When its real main starts, and one message for it is published on the bus
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-S", str(HARNESS), "worker", package, str(report_file)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        report = _wait_for_report(process, report_file, log)
        check = WORKER_CASES[package](target)
        # Then it built the real adapters and handled the message
        _assert_adapters(package, report["types"])
        check()
    except AssertionError as failure:
        raise AssertionError(f"{failure}\nworker log (tail):\n{log.read_text()[-6000:]}") from None
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=BOOT_SECONDS)
    # And it stopped cleanly on SIGTERM, as ECS stops it
    assert process.returncode == 0, log.read_text()[-4000:]


def _wait_for_report(process: subprocess.Popen[bytes], report: Path, log: Path) -> dict[str, Any]:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if report.is_file() and report.stat().st_size:
            return json.loads(report.read_text())
        if process.poll() is not None:
            raise AssertionError(
                f"the worker exited at start ({process.returncode}): {log.read_text()[-4000:]}"
            )
        time.sleep(0.1)
    raise AssertionError("the worker did not finish its bootstrap in time")
