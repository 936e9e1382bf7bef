"""TransactWriteItems on the local AWS: all or nothing, and no copy of the whole table.

Over the wire against a real ``agentic_local.moto_launcher`` process, plus one in-process check that a
transaction never copies a table (moto's own implementation deep-copies every table it touches, which
made each transaction as slow as the table is large).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from agentic_local.moto_server import MOTO_CREDENTIALS, MotoServer
from agentic_local.moto_transactions import transact_write_items
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

TABLE = "workflows"


def _dynamodb(endpoint_url: str | None = None) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def _create_table(dynamodb: Any, name: str) -> None:
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoServer]:
    started = MotoServer(log_file=Path(tmp_path_factory.mktemp("aws")) / "moto.log").start()
    yield started
    started.stop()


@pytest.fixture
def db(server: MotoServer, request: pytest.FixtureRequest) -> tuple[Any, str]:
    """A client and a table of this test's own on the module's server."""
    client, table = _dynamodb(server.url), request.node.name[:200]
    _create_table(client, table)
    return client, table


def _key(pk: str, sk: str = "meta") -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _put(table: str, pk: str, **attrs: str) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": _key(pk) | {k: {"S": v} for k, v in attrs.items()}}}


def _items(dynamodb: Any, table: str) -> dict[str, dict[str, Any]]:
    return {item["pk"]["S"]: item for item in dynamodb.scan(TableName=table)["Items"]}


def test_a_transaction_writes_every_item_put_update_delete(db: tuple[Any, str]) -> None:
    dynamodb, table = db
    dynamodb.put_item(TableName=table, Item=_key("old") | {"n": {"N": "1"}})
    dynamodb.put_item(TableName=table, Item=_key("gone"))
    dynamodb.transact_write_items(
        TransactItems=[
            _put(table, "new", status="running"),
            {
                "Update": {
                    "TableName": table,
                    "Key": _key("old"),
                    "UpdateExpression": "SET n = n + :one",
                    "ConditionExpression": "n = :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {"Delete": {"TableName": table, "Key": _key("gone")}},
        ]
    )
    items = _items(dynamodb, table)
    assert set(items) == {"new", "old"}
    assert items["old"]["n"] == {"N": "2"}
    assert items["new"]["status"] == {"S": "running"}


def test_one_failed_condition_cancels_all_and_names_the_item(db: tuple[Any, str]) -> None:
    dynamodb, table = db
    dynamodb.put_item(TableName=table, Item=_key("taken") | {"owner": {"S": "a"}})
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                _put(table, "first", status="running"),
                {
                    "Put": {
                        "TableName": table,
                        "Item": _key("taken") | {"owner": {"S": "b"}},
                        "ConditionExpression": "attribute_not_exists(pk)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                },
            ]
        )
    error = raised.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    reasons = error["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "ConditionalCheckFailed"]
    assert reasons[1]["Item"]["owner"] == {"S": "a"}
    assert set(_items(dynamodb, table)) == {"taken"}  # the first Put was not written


def test_a_write_failing_half_way_puts_back_what_was_written(db: tuple[Any, str]) -> None:
    dynamodb, table = db
    dynamodb.put_item(TableName=table, Item=_key("kept") | {"status": {"S": "before"}})
    dynamodb.put_item(TableName=table, Item=_key("text") | {"n": {"S": "not a number"}})
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": table,
                        "Key": _key("kept"),
                        "UpdateExpression": "SET #s = :after",
                        "ExpressionAttributeNames": {"#s": "status"},
                        "ExpressionAttributeValues": {":after": {"S": "after"}},
                    }
                },
                _put(table, "created"),
                {
                    "Update": {
                        "TableName": table,
                        "Key": _key("text"),
                        "UpdateExpression": "SET n = n + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
    assert raised.value.response["Error"]["Code"] in {"ValidationException", "TransactionCanceledException"}
    items = _items(dynamodb, table)
    assert set(items) == {"kept", "text"}
    assert items["kept"]["status"] == {"S": "before"}
    assert items["text"]["n"] == {"S": "not a number"}


def test_the_same_item_twice_is_refused_and_nothing_is_written(db: tuple[Any, str]) -> None:
    dynamodb, table = db
    with pytest.raises(ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[_put(table, "twice"), _put(table, "twice", status="again")]
        )
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert _items(dynamodb, table) == {}


def test_a_transaction_copies_only_the_items_it_touches_never_a_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def whole_table_copied(self: Table, memo: dict[int, Any]) -> Table:
        raise AssertionError(f"table {self.name} was copied whole by a transaction")

    # what moto_launcher installs (rollback_touched_items_only), for this test only
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", transact_write_items)
    with mock_aws():
        dynamodb = _dynamodb()
        _create_table(dynamodb, TABLE)
        for n in range(50):
            dynamodb.put_item(TableName=TABLE, Item=_key(f"wf-{n}"))
        monkeypatch.setattr(Table, "__deepcopy__", whole_table_copied, raising=False)
        dynamodb.transact_write_items(TransactItems=[_put(TABLE, "wf-new"), _put(TABLE, "wf-1", status="x")])
        with pytest.raises(ClientError):
            dynamodb.transact_write_items(
                TransactItems=[
                    _put(TABLE, "wf-other"),
                    {
                        "ConditionCheck": {
                            "TableName": TABLE,
                            "Key": _key("wf-2"),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        assert len(_items(dynamodb, TABLE)) == 51
