"""TransactWriteItems on the local AWS in time that does not grow with the table.

moto 5.2.5's ``DynamoDBBackend.transact_write_items`` deep-copies every table a transaction touches
before it writes, so that it can put the copies back when a condition fails. The copy is of the whole
table: a transaction took ~20 ms on an empty workflows table and 200-800 ms once it held a few thousand
items (bench/core.py's floor grew with each run), every transaction on the stack queued behind it.

This version keeps what DynamoDB promises and moto's tests check: every condition is evaluated before
anything is written (one failed condition cancels the whole transaction and writes nothing, with the
reason per item and ``ALL_OLD`` when asked), one item at most once per transaction, a validation error
cancels it too. Only the items it touches are copied, to put them back if a write fails half-way.
Isolation comes from ``moto_launcher.serialise_dynamodb`` (one DynamoDB request at a time).
"""

from __future__ import annotations

import copy
from typing import Any

from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TooManyTransactionsException,
    TransactionCanceledException,
    TransactWriteSingleOpException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item
from moto.dynamodb.models.table import Table

_OPERATIONS = frozenset({"ConditionCheck", "Put", "Delete", "Update"})
_MARK = "_agentic_item_rollback"
Error = tuple[str | None, str | None, dict[str, Any] | None]


def _key(table: Table, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    attrs = op["Item"]
    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
    missing = [name for name in names if name not in attrs]
    if missing:
        raise MockValidationException(
            f"One or more parameter values were invalid: Missing the key {missing[0]}"
        )
    return {name: attrs[name] for name in names}


def _condition_error(op: dict[str, Any], current: Item | None) -> Error:
    condition = op.get("ConditionExpression")
    if condition is None:
        return None, None, None
    check = get_filter_expression(
        condition, op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    )
    if check.expr(current):
        return None, None, None
    old = (
        current.to_json()["Attributes"]
        if current and op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        else None
    )
    return "ConditionalCheckFailed", "The conditional request failed", old


def _apply(backend: DynamoDBBackend, op_type: str, op: dict[str, Any], key: dict[str, Any]) -> None:
    names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
    if op_type == "Put":
        backend.put_item(op["TableName"], op["Item"], overwrite=True)
    elif op_type == "Delete":
        backend.delete_item(op["TableName"], key)
    elif op_type == "Update":
        backend.update_item(
            op["TableName"],
            key,
            update_expression=op["UpdateExpression"],
            expression_attribute_names=names,
            expression_attribute_values=values,
        )


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    planned: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    before: dict[tuple[str, str], tuple[Table, dict[str, Any], Item | None]] = {}
    errors: list[Error] = []
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in _OPERATIONS:
            errors.append(("ValueError", "Unsupported transaction operation", None))
            continue
        table = self.get_table(op["TableName"])
        key = _key(table, op_type, op)
        identity = (table.name, str(dict(sorted(key.items()))))
        if identity in before:
            raise MultipleTransactionsException()
        current = self.get_item(op["TableName"], key)
        before[identity] = (table, key, copy.deepcopy(current))
        errors.append(_condition_error(op, current))
        planned.append((op_type, op, key))
    if any(code is not None for code, _, _ in errors):
        raise TransactionCanceledException(errors)
    for index, (op_type, op, key) in enumerate(planned):
        try:
            _apply(self, op_type, op, key)
        except MockValidationException:
            _restore(self, before)
            raise
        except Exception as failure:  # as moto: any other failure cancels the transaction, reason given
            _restore(self, before)
            errors[index] = (type(failure).__name__, str(failure), None)
            raise TransactionCanceledException(errors) from failure


def _restore(
    backend: DynamoDBBackend, before: dict[tuple[str, str], tuple[Table, dict[str, Any], Item | None]]
) -> None:
    for table, key, item in before.values():
        hash_key, range_key = backend.get_keys_value(table, key)
        if item is None:
            table.delete_item(hash_key, range_key)
        elif range_key is not None:
            table.items[hash_key][range_key] = item
        else:
            table.items[hash_key] = item  # type: ignore[assignment]


def rollback_touched_items_only() -> None:
    """Install this ``transact_write_items`` on moto's DynamoDB backend. Idempotent."""
    if getattr(DynamoDBBackend.transact_write_items, _MARK, False):
        return
    setattr(transact_write_items, _MARK, True)
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
