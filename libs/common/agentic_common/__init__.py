"""Contracts and generic adapters shared by every Agentic DevOps service."""
