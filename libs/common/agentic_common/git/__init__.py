"""The Git host port and its adapters (local bare repositories, GitLab)."""

from agentic_common.git.port import Files, GitHost, GitHostError, MergeRequestRef, PublishedRepo

__all__ = ["Files", "GitHost", "GitHostError", "MergeRequestRef", "PublishedRepo"]
