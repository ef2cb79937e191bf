"""The SalesPro emulator over real HTTP, spoken to by boto3 as a client of AWS Athena would: header row,
VarCharValue strings, NULL as a missing VarCharValue, NextToken pages of at most 1000 rows, query states,
faults; and its CSV exports."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from crm_pipelines.sandbox import Sandbox, SalesProConfig

KEY_ID = "AKIAEMULATORTEST0001"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    config = SalesProConfig(access_key_id=KEY_ID, exports_dir=str(tmp_path_factory.mktemp("exports")),
                            counts={"estimates": 2100, "customers": 50, "credit_applications": 5, "lead_results": 20,
                                    "offices": 4, "users": 9})
    with Sandbox(salespro=config, port=0) as sb:
        yield sb


@pytest.fixture
def athena(sandbox):
    sandbox.salespro.reset()
    return client(sandbox, KEY_ID)


def client(sandbox, key_id: str):
    return boto3.client("athena", endpoint_url=f"{sandbox.url_for('salespro')}/", region_name="us-east-1",
                        aws_access_key_id=key_id, aws_secret_access_key="any",
                        config=Config(retries={"total_max_attempts": 1}))


def run(athena, sql: str, database: str = "home_genius_db") -> tuple[str, dict]:
    query_id = athena.start_query_execution(QueryString=sql, QueryExecutionContext={"Database": database},
                                            WorkGroup="primary")["QueryExecutionId"]
    for _ in range(200):
        status = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
        if status["State"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return query_id, status
        time.sleep(0.01)
    raise AssertionError("query never finished")


def test_results_come_as_strings_with_a_header_row_and_next_tokens(athena):
    query_id, status = run(athena, "SELECT estimate_id, is_sale, document_count, updated_at, street_address "
                                   "FROM estimate ORDER BY updated_at, estimate_id")
    assert status["State"] == "SUCCEEDED"
    pages, token = [], None
    while True:
        kwargs = {"NextToken": token} if token else {}
        answer = athena.get_query_results(QueryExecutionId=query_id, MaxResults=1000, **kwargs)
        pages.append(answer["ResultSet"]["Rows"])
        token = answer.get("NextToken")
        if not token:
            break
    assert [len(p) for p in pages] == [1000, 1000, 101]  # 2100 rows + the header, which takes a row of page 1
    assert [c.get("VarCharValue") for c in pages[0][0]["Data"]] == [
        "estimate_id", "is_sale", "document_count", "updated_at", "street_address"]
    rows = [r["Data"] for p in pages for r in p][1:]
    assert {r[1]["VarCharValue"] for r in rows} == {"true", "false"}
    assert all(r[2]["VarCharValue"].isdigit() for r in rows)
    assert rows[0][3]["VarCharValue"].count(":") == 2 and "T" not in rows[0][3]["VarCharValue"]
    nulls = [r for r in rows if "VarCharValue" not in r[4]]
    assert nulls and all(r[4] == {} for r in nulls)  # NULL: no VarCharValue at all
    stamps = [r[3]["VarCharValue"] for r in rows]
    assert stamps == sorted(stamps)


def test_more_than_1000_rows_a_page_is_refused(athena):
    query_id, _ = run(athena, "SELECT * FROM customer")
    with pytest.raises(ClientError, match="InvalidRequestException"):
        athena.get_query_results(QueryExecutionId=query_id, MaxResults=1001)


def test_a_bad_query_or_database_fails_with_athenas_error(athena):
    _, status = run(athena, "SELECT * FROM estimate", database="nope")
    assert status["State"] == "FAILED" and status["AthenaError"]["Retryable"] is False
    _, status = run(athena, "SELECT no_such_column FROM estimate")
    assert status["State"] == "FAILED" and "SYNTAX_ERROR" in status["StateChangeReason"]


def test_query_faults_fail_or_slow_a_query_and_stop_cancels_it(sandbox, athena):
    sandbox.salespro.reset({"query_faults": [{"table": "estimate", "retryable": True, "times": 1},
                                             {"table": "customer", "state": "SLOW", "running_s": 30}]})
    _, status = run(athena, "SELECT * FROM estimate")
    assert status["State"] == "FAILED" and status["AthenaError"]["Retryable"] is True
    _, status = run(athena, "SELECT * FROM estimate")
    assert status["State"] == "SUCCEEDED"
    slow = athena.start_query_execution(QueryString="SELECT * FROM customer",
                                        QueryExecutionContext={"Database": "home_genius_db"})["QueryExecutionId"]
    time.sleep(0.1)
    assert athena.get_query_execution(QueryExecutionId=slow)["QueryExecution"]["Status"]["State"] == "RUNNING"
    athena.stop_query_execution(QueryExecutionId=slow)
    assert athena.get_query_execution(QueryExecutionId=slow)["QueryExecution"]["Status"]["State"] == "CANCELLED"


def test_throttling_faults_speak_athenas_error_codes(sandbox, athena):
    sandbox.salespro.set_faults([{"route": "StartQueryExecution", "status": 429, "times": 1},
                                 {"route": "StartQueryExecution", "status": 429, "policy": "TooManyRequestsException",
                                  "times": 1, "after": 1},
                                 {"route": "GetQueryExecution", "status": 500, "times": 1}])
    codes = []
    for _ in range(2):
        with pytest.raises(ClientError) as caught:
            athena.start_query_execution(QueryString="SELECT 1", QueryExecutionContext={"Database": "home_genius_db"})
        codes.append((caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]))
    assert codes == [("ThrottlingException", 400), ("TooManyRequestsException", 400)]
    query_id = athena.start_query_execution(QueryString="SELECT 1",
                                            QueryExecutionContext={"Database": "home_genius_db"})["QueryExecutionId"]
    with pytest.raises(ClientError, match="InternalServerException"):
        athena.get_query_execution(QueryExecutionId=query_id)


def test_an_unknown_access_key_is_refused(sandbox):
    with pytest.raises(ClientError, match="UnrecognizedClientException"):
        client(sandbox, "AKIAWRONGWRONGWRONG0").start_query_execution(QueryString="SELECT 1")


def test_exports_are_utf8_with_a_byte_order_mark_and_follow_writes(sandbox):
    from pathlib import Path

    sandbox.salespro.reset()
    folder = Path(sandbox.salespro.config.exports_dir)
    users = sorted(folder.glob("users*.csv"))
    assert len(users) == 1 and users[0].read_bytes().startswith(b"\xef\xbb\xbfobjectId,")
    text = users[0].read_bytes().decode("utf-8-sig")
    assert text.count("\r\n") == 10 and '"[' in text  # header + 9 users; allowed_offices a quoted JSON array
    sandbox.salespro.mutate(object_type="users", count=1, action="archive")
    newest = sorted(folder.glob("users*.csv"))[-1]
    assert newest != users[0] and newest.read_bytes().decode("utf-8-sig").count("\r\n") == 9
