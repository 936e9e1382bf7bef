"""The runtime context keys every environment requires (no defaults), with example values."""

from __future__ import annotations

REQUIRED_RUNTIME = {
    "argocd_url": "https://argocd.example.test",
    "tfc_organization": "acme",
    "prometheus_url": "https://prometheus.example.test",
    "gitlab_url": "https://gitlab.example.test",
    "gitlab_group": "platform/services",
}
