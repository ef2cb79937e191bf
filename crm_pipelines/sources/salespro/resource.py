"""SalesPro client resource: AWS Athena through boto3 (start, poll, page the results), and the offices and
users CSV exports read from a folder. BEHAVIOR.md says why each step is done the way it is."""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from dagster import Failure
from pydantic import PrivateAttr, field_validator

from crm_pipelines.core.config_rules import between
from crm_pipelines.core.resource import SourceResource
from crm_pipelines.sources.salespro import athena, exports

ACCESS_KEY_ENV = "SALESPRO_AWS_ACCESS_KEY_ID"
SECRET_KEY_ENV = "SALESPRO_AWS_SECRET_ACCESS_KEY"
REGION_ENV = "SALESPRO_AWS_REGION"
DATABASE_ENV = "SALESPRO_ATHENA_DATABASE"
WORKGROUP_ENV = "SALESPRO_ATHENA_WORKGROUP"
OUTPUT_ENV = "SALESPRO_ATHENA_OUTPUT"
EXPORTS_DIR_ENV = "SALESPRO_EXPORTS_DIR"
ENDPOINT_ENV = "SALESPRO_ATHENA_ENDPOINT_URL"
DEFAULT_REGION, DEFAULT_DATABASE, DEFAULT_WORKGROUP = "us-east-1", "home_genius_db", "primary"

# Error codes Athena (and AWS's front ends) use for "slow down" and "try again".
TRANSIENT_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "ThrottledException",
                             "RequestLimitExceeded", "SlowDown", "ServiceUnavailable", "InternalServerException",
                             "InternalFailure", "RequestTimeout", "RequestTimeoutException"})
Records = list[dict[str, Any]]
log = logging.getLogger(__name__)


def _decode_results_fast(response_dict: dict[str, Any], customized_response_dict: dict[str, Any], **_: Any) -> None:
    """Decode a successful GetQueryResults answer with orjson instead of botocore's model walk.

    botocore checks every cell of every row against the service model (~100 µs a row of 27 columns: the
    read's main cost). The answer's JSON already has the parsed shape (strings, lists, objects; no
    timestamps or blobs to convert), so it is decoded once here and botocore is handed an empty body;
    errors (status >= 300) keep botocore's own parsing.
    """
    if response_dict.get("status_code") != 200:
        return
    body = orjson.loads(response_dict["body"])
    for name in ("ResultSet", "NextToken", "UpdateCount"):
        if name in body:
            customized_response_dict[name] = body[name]
    response_dict["body"] = b"{}"


class SalesProQueryError(Failure):
    """An Athena query failed, was cancelled or ran too long; the message carries Athena's reason."""


class SalesProApiError(Failure):
    """An Athena call failed for good (not retryable, or still failing after every attempt)."""


class SalesProResource(SourceResource):
    aws_access_key_id: str
    aws_secret_access_key: str
    region: str = DEFAULT_REGION
    database: str = DEFAULT_DATABASE
    workgroup: str = DEFAULT_WORKGROUP
    # s3://bucket/prefix/ for query results; "" leaves it to the workgroup's configured location.
    output_location: str = ""
    # A local Athena-compatible service (the sandbox); "" = AWS's own endpoint for the region.
    endpoint_url: str = ""
    exports_dir: str = ""
    # Rows per GetQueryResults call (Athena's maximum is 1000).
    page_size: int = 1000
    # Rows per query: a larger read continues with the keyset (updated_at, key) in a new query. Athena bills
    # each query's scan of the whole table, so a full sync must stay within three queries: a million rows a
    # query keeps tables ten times the legacy volumes (~106k rows) in one. Results are paged 1,000 rows at
    # a time whatever the query's size.
    rows_per_query: int = 1_000_000
    # Attempts of one API call on throttling, 5xx and dropped connections (botocore's own: 3 in total).
    max_attempts: int = 8
    backoff_base_s: float = 0.5
    backoff_max_s: float = 20.0
    # Polling a running query: first wait, growing x2 per poll up to the maximum.
    poll_initial_s: float = 0.1
    poll_max_s: float = 2.0
    # A query still running after this long is stopped (StopQueryExecution) and the run fails.
    query_timeout_s: float = 300.0
    # Runs of a query Athena fails with AthenaError.Retryable = true.
    query_attempts: int = 3
    timeout_s: float = 60.0
    # GetQueryResults pages read ahead in a thread while the previous ones are typed and loaded.
    prefetch_pages: int = 2

    _page_in_range = field_validator("page_size")(between(1, 1000))
    _rows_per_query = field_validator("rows_per_query")(between(1, 100_000_000))
    _attempts = field_validator("max_attempts", "query_attempts")(between(1, 100))
    _prefetch = field_validator("prefetch_pages")(between(0, 64))

    _client: Any = PrivateAttr(default=None)

    def setup_for_execution(self, context) -> None:
        for name, value in ((ACCESS_KEY_ENV, self.aws_access_key_id), (SECRET_KEY_ENV, self.aws_secret_access_key)):
            if not value.strip():
                raise Failure(f"{name} is empty: set it to the AWS credential that may query SalesPro's Athena")

    def fetch_ahead_pages(self) -> int:
        return self.prefetch_pages

    # --- API calls ---------------------------------------------------------------------------------------

    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            session = boto3.session.Session(aws_access_key_id=self.aws_access_key_id,
                                            aws_secret_access_key=self.aws_secret_access_key, region_name=self.region)
            # botocore's own retries are off: `call` retries (and counts) every attempt itself.
            config = Config(retries={"total_max_attempts": 1}, connect_timeout=self.timeout_s,
                            read_timeout=self.timeout_s, max_pool_connections=4)
            # botocore posts to the endpoint as given: a service under a path (the sandbox's `/salespro`)
            # answers a path without its slash with a redirect botocore does not follow. AWS's own endpoints
            # take the slash as well.
            endpoint = self.endpoint_url.rstrip("/") + "/" if self.endpoint_url else None
            self._client = session.client("athena", endpoint_url=endpoint, config=config)
            self._client.meta.events.register("before-parse.athena.GetQueryResults", _decode_results_fast)
        return self._client

    def backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2 ** (attempt - 1)))

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One Athena API call, retried on throttling, 5xx and connection failures up to `max_attempts`."""
        from botocore.exceptions import ClientError, ConnectionError as BotoConnectionError, HTTPClientError

        method = getattr(self.client(), operation)
        for attempt in range(1, self.max_attempts + 1):
            self.count_call()
            try:
                return method(**params)
            except ClientError as exc:
                error = exc.response.get("Error", {})
                code, status = error.get("Code", ""), exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
                problem = f"{code or 'HTTP ' + str(status)}: {error.get('Message', '')}".strip()
                if not (code in TRANSIENT_CODES or (status or 0) >= 500):
                    raise SalesProApiError(f"Athena {operation} failed: {problem}") from None
            except (BotoConnectionError, HTTPClientError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt == self.max_attempts:
                raise SalesProApiError(f"Athena {operation} still failing after {attempt} attempts: {problem}")
            self.count_retry()
            log.warning("Athena %s: %s; retrying (attempt %d of %d)", operation, problem, attempt + 1,
                        self.max_attempts)
            time.sleep(self.backoff(attempt))
        raise AssertionError("unreachable")

    # --- queries -----------------------------------------------------------------------------------------

    def run_query(self, sql: str) -> str:
        """Start the query and wait until it succeeds; return its id. A FAILED query Athena marks retryable is
        run again (`query_attempts` in all); any other FAILED or CANCELLED query fails with Athena's reason."""
        for run in range(1, self.query_attempts + 1):
            query_id = self._start(sql)
            status = self._wait(query_id)
            state = status.get("State")
            if state == "SUCCEEDED":
                return query_id
            error = status.get("AthenaError") or {}
            reason = error.get("ErrorMessage") or status.get("StateChangeReason") or "no reason given"
            if state == "FAILED" and error.get("Retryable") and run < self.query_attempts:
                self.count_retry()
                log.warning("Athena query %s failed and is retryable (%s); running it again", query_id, reason)
                continue
            raise SalesProQueryError(f"Athena query {state} ({query_id}): {reason}")
        raise AssertionError("unreachable")

    def _start(self, sql: str) -> str:
        params: dict[str, Any] = {"QueryString": sql, "QueryExecutionContext": {"Database": self.database},
                                  "WorkGroup": self.workgroup,
                                  # One token per query run: a start retried after a lost answer is the same query.
                                  "ClientRequestToken": uuid.uuid4().hex + uuid.uuid4().hex[:8]}
        if self.output_location:
            params["ResultConfiguration"] = {"OutputLocation": self.output_location}
        return self.call("start_query_execution", **params)["QueryExecutionId"]

    def _wait(self, query_id: str) -> dict[str, Any]:
        started = time.monotonic()
        delay = self.poll_initial_s
        while True:
            status = self.call("get_query_execution", QueryExecutionId=query_id)["QueryExecution"]["Status"]
            if status.get("State") in ("SUCCEEDED", "FAILED", "CANCELLED"):
                return status
            waited = time.monotonic() - started
            if waited >= self.query_timeout_s:
                self.call("stop_query_execution", QueryExecutionId=query_id)
                raise SalesProQueryError(f"Athena query {query_id} still {status.get('State')} after "
                                         f"{waited:.0f} s (query_timeout_s={self.query_timeout_s:g}); stopped it")
            time.sleep(min(delay, max(self.query_timeout_s - waited, 0.0)))
            delay = min(delay * 2, self.poll_max_s)

    def results(self, query_id: str) -> Iterator[Records]:
        """The query's rows page by page, as {column: text or None}. The first row of the first page is the
        header; a missing VarCharValue is NULL."""
        token: str | None = None
        names: list[str] | None = None
        while True:
            params: dict[str, Any] = {"QueryExecutionId": query_id, "MaxResults": self.page_size}
            if token:
                params["NextToken"] = token
            answer = self.call("get_query_results", **params)
            rows = answer["ResultSet"]["Rows"]
            if names is None:
                names = [c["Name"] for c in answer["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]]
                header = [cell.get("VarCharValue") for cell in rows[0]["Data"]] if rows else None
                if header != names:
                    raise SalesProApiError(f"Athena query {query_id}: the first row is not the header "
                                           f"({header!r} for columns {names!r})")
                rows = rows[1:]
            if rows:
                yield [dict(zip(names, (cell.get("VarCharValue") for cell in row["Data"]))) for row in rows]
            token = answer.get("NextToken")
            if not token:
                return

    def read_table(self, table: str, key: str, start=None, end=None) -> Iterator[Records]:
        """Every row of `table` with updated_at in [start, end) (no bounds: every row), in keyset order,
        `rows_per_query` rows a query. Each query asks for one row more than that: only a query that gets it
        is followed by another, so a read of exactly `rows_per_query` rows costs one scan, not two."""
        cursor: tuple[str | None, str | None] | None = None
        while True:
            query_id = self.run_query(athena.select(table, key, start, end, cursor, self.rows_per_query + 1))
            got, last = 0, None
            for records in self.results(query_id):
                got += len(records)
                last = records[-1]
                yield records
            if got <= self.rows_per_query:
                return
            cursor = (last.get("updated_at"), last.get(key))

    # --- CSV exports -------------------------------------------------------------------------------------

    def read_export(self, prefix: str) -> Iterator[Records]:
        if not self.exports_dir.strip():
            raise Failure(f"{EXPORTS_DIR_ENV} is not set: point it at the folder SalesPro's offices*.csv and "
                          "users*.csv exports are copied to")
        folder = Path(self.exports_dir)
        path = exports.latest_complete(folder, prefix)
        self.count_call()
        log.info("SalesPro %s: reading %s", prefix, path.name)
        yield from exports.read(path, self.page_size)
