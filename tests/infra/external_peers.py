"""The external systems of a deployed platform, each a local server speaking the API subset we use.

Built from the suite's contract servers: the recording server of the deployment contract tests (ArgoCD,
Terraform Cloud, Prometheus, the platform API, Slack, Anthropic, a deployed service to probe) and the
stateful GitLab v4 stand-in of the codegen contract tests. Every request is recorded, so a boot test can
assert that a service really talked to the system its environment names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from pytest_httpserver import HTTPServer

from tests.contract.codegen.conftest import GROUP, TOKEN, FakeGitLab
from tests.contract.deployment.deployment_peer import RecordingServer, Reply, Seen

GITLAB_TOKEN = TOKEN
GITLAB_GROUP = GROUP["full_path"]
ANTHROPIC_KEY = "sk-ant-boot-test-0123456789"
SLACK_PATH = "/services/T0BOOT/B0BOOT/boot-webhook-secret"


def _argocd_app(seen: Seen, match: re.Match[str]) -> Reply:
    return Reply(
        200,
        {
            "metadata": {"name": match["app"]},
            "status": {
                "sync": {"status": "Synced", "revision": "0" * 40},
                "health": {"status": "Healthy"},
                "history": [{"id": 1, "revision": "0" * 40}],
            },
        },
    )


def _anthropic(seen: Seen, match: re.Match[str]) -> Reply:
    return Reply(
        200,
        {
            "id": "msg_boot",
            "type": "message",
            "role": "assistant",
            "model": seen.json().get("model", "claude"),
            "content": [{"type": "text", "text": "No summary from the boot test."}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 5},
        },
    )


def _prometheus(seen: Seen, match: re.Match[str]) -> Reply:
    query = seen.query.get("query") or dict(parse_qsl(seen.body.decode())).get("query", "")
    value = "0" if 'status=~"5..' in query else "0.05" if "histogram_quantile" in query else "120"
    result = [{"metric": {}, "value": [0, value]}]
    return Reply(200, {"status": "success", "data": {"resultType": "vector", "result": result}})


@dataclass
class Peers:
    argocd: RecordingServer
    tfc: RecordingServer
    prometheus: RecordingServer
    platform_api: RecordingServer
    slack: RecordingServer
    anthropic: RecordingServer
    service: RecordingServer  # a deployed service the observability worker probes
    otlp: RecordingServer  # an OpenTelemetry collector (OTLP/HTTP)
    gitlab_http: HTTPServer
    gitlab: FakeGitLab

    @property
    def slack_webhook(self) -> str:
        return self.slack.url + SLACK_PATH

    def context(self) -> dict[str, str]:
        """The CDK context a platform team would give, pointed at these servers."""
        return {
            "argocd_url": self.argocd.url,
            "tfc_url": self.tfc.url,
            "tfc_organization": "acme",
            "prometheus_url": self.prometheus.url,
            "gitlab_url": self.gitlab.url,
            "gitlab_group": GITLAB_GROUP,
            "anthropic_base_url": self.anthropic.url,
            "otlp_endpoint": self.otlp.url,
        }

    def secret_values(self, name: str) -> dict[str, str]:
        """What the deployer would put in each secret (``agentic-<env>/<name>``)."""
        kind = name.split("/", 1)[1]
        values = {
            "gitlab": {"token": GITLAB_TOKEN},
            "slack": {"webhook_url": self.slack_webhook},
            "anthropic": {"api_key": ANTHROPIC_KEY},
        }
        return values.get(kind, {"token": f"{kind}-boot-token"})

    def stop(self) -> None:
        for server in (
            self.argocd,
            self.tfc,
            self.prometheus,
            self.platform_api,
            self.slack,
            self.anthropic,
            self.service,
            self.otlp,
        ):
            server.stop()
        self.gitlab_http.stop()


def start_peers() -> Peers:
    servers = [RecordingServer().start() for _ in range(8)]
    argocd, tfc, prometheus, platform_api, slack, anthropic, service, otlp = servers
    for signal_path in ("/v1/traces", "/v1/metrics", "/v1/logs"):
        otlp.route("POST", signal_path)(
            lambda seen, match: Reply(200, b"", {"Content-Type": "application/x-protobuf"})
        )
    argocd.route("GET", r"/api/v1/applications/(?P<app>[^/]+)")(_argocd_app)
    argocd.route("POST", r"/api/v1/applications/(?P<app>[^/]+)/resource/actions")(
        lambda seen, match: Reply(200, {})
    )
    for method in ("GET", "POST"):  # instant queries: the deployment gate GETs, observability POSTs a form
        prometheus.route(method, "/api/v1/query")(_prometheus)
    slack.route("POST", SLACK_PATH)(lambda seen, match: Reply(200, b"ok", {"Content-Type": "text/plain"}))
    anthropic.route("POST", "/v1/messages")(_anthropic)
    service.route("GET", r"/.*")(lambda seen, match: Reply(200, {"status": "ok"}))
    gitlab_http = HTTPServer(host="127.0.0.1", port=0)
    gitlab_http.start()
    gitlab = FakeGitLab(gitlab_http.url_for("").rstrip("/"))
    gitlab_http.expect_request(re.compile(r"/api/v4/.*")).respond_with_handler(gitlab.handle)
    return Peers(argocd, tfc, prometheus, platform_api, slack, anthropic, service, otlp, gitlab_http, gitlab)
