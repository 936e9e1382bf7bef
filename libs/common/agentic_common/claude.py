"""One forced tool call to Claude (Messages API), with every failure mapped to a typed error.

Each agent that asks Claude for structured output (the planner's proposal, codegen's resources,
observability's summary, remediation's ranking) sends one tool and forces the model to call it. This
module holds that call and its error mapping; the adapters keep their prompt, their tool schema and
how they read the tool's input, and turn these errors into their port's errors:

* ``ModelUnavailableError``: the API answered an error status (``status``, ``retryable``, its own
  ``retry_after`` kept within 1..300 s) or gave no answer at all (refused, timed out).
* ``ModelAnswerError``: an answer came, but not a Messages API response, or without the tool call.

No message carries the API key or the API's error text (which may echo the request): only the
status, the API's error type and the SDK's exception class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_RETRY_AFTER = 30
MAX_RETRY_AFTER = 300
RETRYABLE_STATUS = frozenset({408, 409, 429})


class ModelError(Exception):
    """The model gave no usable tool call."""


class ModelUnavailableError(ModelError):
    def __init__(self, message: str, *, status: int | None, retry_after: int = DEFAULT_RETRY_AFTER) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.retryable = status is None or status in RETRYABLE_STATUS or status >= 500


class ModelAnswerError(ModelError):
    """An answer came, but not one with the forced tool call."""


@dataclass(frozen=True)
class ToolCall:
    input: object  # the tool's arguments as the model sent them: the caller validates them
    input_tokens: int
    output_tokens: int


class ClaudeTool:
    """A Messages API client that forces one tool per request (``max_retries`` are the SDK's)."""

    def __init__(
        self, api_key: str, model: str, *, base_url: str | None, timeout: float, max_retries: int
    ) -> None:
        import anthropic  # noqa: PLC0415 - heavy; imported only when a key configures an adapter

        self._anthropic = anthropic
        self._client: Any = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self.model = model

    def call(self, *, system: str, tool: dict[str, Any], prompt: str, max_tokens: int) -> ToolCall:
        """Send ``prompt`` forcing ``tool``; the tool call's input, or a ``ModelError``."""
        name = tool["name"]
        message = self._create(system, tool, prompt, max_tokens)
        for block in getattr(message, "content", None) or ():
            if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == name:
                usage = getattr(message, "usage", None)
                return ToolCall(
                    block.input, getattr(usage, "input_tokens", 0), getattr(usage, "output_tokens", 0)
                )
        raise ModelAnswerError(f"the model did not call {name}")

    def _create(self, system: str, tool: dict[str, Any], prompt: str, max_tokens: int) -> Any:
        errors = self._anthropic
        try:
            return self._client.messages.create(
                model=self.model,
                max_tokens=max_tokens,
                system=system,
                tools=[tool],
                tool_choice={"type": "tool", "name": tool["name"]},
                messages=[{"role": "user", "content": prompt}],
            )
        except errors.APIResponseValidationError:
            raise ModelAnswerError("the model API's answer is not a Messages API response") from None
        except errors.APIStatusError as exc:
            raise ModelUnavailableError(
                f"the model API answered {exc.status_code} ({_error_type(exc.body)}): {type(exc).__name__}",
                status=exc.status_code,
                retry_after=_retry_after(exc.response.headers),
            ) from None
        except errors.APIError as exc:  # no answer at all: connection refused, timed out
            raise ModelUnavailableError(
                f"the model API could not be reached ({type(exc).__name__})", status=None
            ) from None


def _error_type(body: object) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    kind = error.get("type") if isinstance(error, dict) else None
    return kind if isinstance(kind, str) and kind.isidentifier() else "error"


def _retry_after(headers: Any) -> int:
    """The API's ``retry-after`` (seconds), kept within 1..300; 30 when it gave none we can read."""
    try:
        seconds = int(float(headers.get("retry-after", DEFAULT_RETRY_AFTER)))
    except (TypeError, ValueError):
        seconds = DEFAULT_RETRY_AFTER
    return min(max(seconds, 1), MAX_RETRY_AFTER)
