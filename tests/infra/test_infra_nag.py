"""cdk-nag AwsSolutions runs on every synth and fails it on an unacknowledged error."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from agentic_infra.nag import acknowledge, enable_nag
from aws_cdk import aws_sqs as sqs

pytestmark = pytest.mark.slow  # each test starts the jsii runtime and synthesizes


def _queue_without_dlq(tmp_path) -> tuple[cdk.App, sqs.Queue]:
    app = cdk.App(outdir=str(tmp_path / "cdk.out"))
    enable_nag(app)
    stack = cdk.Stack(app, "nag-probe")
    return app, sqs.Queue(stack, "probe", encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True)


def test_an_unacknowledged_finding_fails_the_synth(tmp_path):
    # Given a queue without a dead-letter queue (AwsSolutions-SQS3) and nag enabled
    app, _ = _queue_without_dlq(tmp_path)
    # When the app is synthesized / Then the synth fails naming the rule
    with pytest.raises(RuntimeError, match=r"ValidationFailed(.|\n)*AwsSolutions-SQS3"):
        app.synth()


def test_an_acknowledged_finding_with_a_reason_lets_the_synth_pass(tmp_path):
    app, queue = _queue_without_dlq(tmp_path)
    acknowledge(queue, "AwsSolutions-SQS3", "probe queue for this test; it has no consumer that could fail")
    assert app.synth().get_stack_by_name("nag-probe")


def test_an_acknowledgment_needs_a_reason(tmp_path):
    _, queue = _queue_without_dlq(tmp_path)
    with pytest.raises(ValueError, match="give a reason"):
        acknowledge(queue, "AwsSolutions-SQS3", "because")


def test_the_platform_app_runs_aws_solutions_on_its_synth(synthesized):
    # Given the app the session synthesized (its synth would have failed on an unacknowledged error)
    plugins = synthesized.stack.node.root.policy_validation_beta1  # Validations.of() has no getter in Python
    # Then the AwsSolutions pack is registered on it
    assert [p.name for p in plugins] == ["AwsSolutions"]
