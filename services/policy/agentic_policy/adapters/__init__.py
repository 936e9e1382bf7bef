"""Adapters for the policy service's own ports (the artifact store adapters live in libs/common)."""
