"""Deployment history in the ``deployments`` table: the shared record's DynamoDB adapter (libs/common)."""

from __future__ import annotations

from agentic_common.records.deployments import SERVICE_INDEX, from_item, sort_key, to_item
from agentic_common.records.deployments_dynamodb import DynamoDBDeploymentHistory

__all__ = ["SERVICE_INDEX", "DynamoDBDeploymentHistory", "from_item", "sort_key", "to_item"]
