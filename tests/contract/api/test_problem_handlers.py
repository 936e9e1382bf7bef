"""What every service's resolver answers for requests no route of it handles (as deployed, no gateway)."""

from __future__ import annotations

import json

from agentic_common.problem_responses import register_problem_handlers
from agentic_common.request_guard import guarded
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from tests.helpers import api_event


def resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver()

    @app.get("/workflows")
    def listing() -> dict[str, str]:
        return {"ok": "yes"}

    @app.post("/workflows")
    def create() -> dict[str, object]:
        return json.loads(app.current_event.body or "{}")

    register_problem_handlers(app, "planner")
    return app


def test_a_method_the_document_does_not_declare_is_a_405_with_allow() -> None:
    answer = resolver().resolve(api_event("DELETE", "/workflows"), None)
    assert answer["statusCode"] == 405
    assert answer["headers"]["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert answer["headers"]["Content-Type"] == "application/problem+json"


def test_options_is_a_204_with_allow() -> None:
    answer = resolver().resolve(api_event("OPTIONS", "/workflows"), None)
    assert answer["statusCode"] == 204
    assert "POST" in answer["headers"]["Allow"]


def test_an_undocumented_path_is_a_404_problem() -> None:
    answer = resolver().resolve(api_event("GET", "/nowhere"), None)
    body = json.loads(answer["body"])
    assert (answer["statusCode"], body["status"], body["error"]) == (404, 404, "not_found")


def test_json_too_deep_to_decode_is_a_400_even_past_the_entry_guard() -> None:
    # Given a body the route itself decodes (the recursion happens inside the handler)
    answer = resolver().resolve(api_event("POST", "/workflows", "[" * 5000 + "]" * 5000), None)
    # Then the shared RecursionError handler answers 400 naming the body
    assert answer["statusCode"] == 400
    assert json.loads(answer["body"])["errors"][0]["field"] == "body"


def test_the_entry_guard_refuses_deep_json_and_boundaryless_multipart_before_the_handler() -> None:
    calls: list[str] = []
    handler = guarded(lambda event, context: calls.append("ran") or {"statusCode": 200})
    deep = handler(api_event("POST", "/workflows", "[" * 100 + "]" * 100), None)
    multipart = handler(
        api_event("POST", "/workflows", "x", headers={"content-type": "multipart/form-data"}), None
    )
    assert (deep["statusCode"], multipart["statusCode"], calls) == (400, 400, [])


def test_head_is_answered_as_get_without_the_body_at_every_api_entry() -> None:
    # Given a resolver behind the entry guard, as every API function is
    handler = guarded(resolver().resolve)
    # When HEAD asks for a GET route
    answer = handler(api_event("HEAD", "/workflows"), None)
    # Then the GET route answered, with no body
    assert (answer["statusCode"], answer["body"]) == (200, "")
