"""The one error type of bad or missing CDK context."""

from __future__ import annotations


class ConfigError(ValueError):
    """A context value is missing or invalid; the message names the context key."""
