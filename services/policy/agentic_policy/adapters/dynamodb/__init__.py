"""Adapters over DynamoDB: the decisions, waivers and violations tables."""
