"""OpenTelemetry set-up and W3C trace context carried inside event details."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from agentic_common.events.envelope import TraceContext

_PROPAGATOR = TraceContextTextMapPropagator()
_configured = False
log = logging.getLogger(__name__)


def setup_telemetry(
    service: str, otlp_endpoint: str | None = None, extra_processor: SpanProcessor | None = None
) -> None:
    """Install the tracer provider once per process (OTLP export when an endpoint is set).

    No meter provider: no service records a metric through OpenTelemetry (their metrics are the
    Prometheus and CloudWatch ones the observability agent reads), and one without a reader exported
    nothing; the API's no-op provider costs no SDK import.
    """
    global _configured  # noqa: PLW0603 - one provider per process, by design
    if _configured:
        return
    resource = Resource.create({"service.name": f"agentic-{service}", "service.namespace": "agentic"})
    provider = TracerProvider(resource=resource)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter  # noqa: PLC0415

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint}/v1/traces"))
        )
    if extra_processor is not None:
        provider.add_span_processor(extra_processor)
    trace.set_tracer_provider(provider)
    if otlp_endpoint or extra_processor is not None:
        _instrument_botocore()  # AWS calls traced when spans go somewhere; else they would be dropped
    _configured = True


def _instrument_botocore() -> None:
    """CLIENT spans for every AWS call. Only worth its imports (~70 ms of a cold start) when spans are
    exported: with no span processor, the spans it makes are dropped."""
    try:
        from opentelemetry.instrumentation.botocore import BotocoreInstrumentor  # noqa: PLC0415

        BotocoreInstrumentor().instrument()  # type: ignore[no-untyped-call]
    except ImportError:  # pragma: no cover - optional dependency
        log.warning("botocore instrumentation unavailable")


def current_trace() -> TraceContext:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return TraceContext(traceparent=carrier.get("traceparent"), tracestate=carrier.get("tracestate"))


def context_from(trace_context: TraceContext | None) -> otel_context.Context:
    carrier = {}
    if trace_context and trace_context.traceparent:
        carrier["traceparent"] = trace_context.traceparent
        if trace_context.tracestate:
            carrier["tracestate"] = trace_context.tracestate
    return _PROPAGATOR.extract(carrier)


@contextmanager
def consumer_span(
    service: str, destination: str, trace_context: TraceContext | None, attributes: dict[str, Any]
) -> Iterator[Span]:
    """A CONSUMER span continuing the producer's trace (messaging semantic conventions)."""
    tracer = trace.get_tracer(f"agentic.{service}")
    attrs = {
        "messaging.system": "aws_sqs",
        "messaging.operation.type": "process",
        "messaging.destination.name": destination,
        **attributes,
    }
    with tracer.start_as_current_span(
        f"process {destination}",
        context=context_from(trace_context),
        kind=SpanKind.CONSUMER,
        attributes=attrs,
    ) as span:
        yield span
