"""Adapters over DynamoDB: the remediation-audit table."""
