"""The CDK app of Agentic DevOps: every AWS resource, derived from ``agentic_common.topology``."""
