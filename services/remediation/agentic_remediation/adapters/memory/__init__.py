"""In-memory adapters (tests and benchmarks): the audit trail."""
