"""Athena's API over HTTP as boto3 speaks it: AWS JSON 1.1, `POST /` with `X-Amz-Target:
AmazonAthena.<Operation>`, SigV4-signed (the access key id is checked), errors as `{"__type", "message"}`."""

from __future__ import annotations

import base64
import re
import time
import uuid
from typing import Any, Callable

import orjson
from starlette.responses import Response
from starlette.routing import Route

from ..kit.errors import ApiError
from ..kit.http.pipeline import ApiEndpoint, ApiRequest, Dialect
from .emulator import ROUTES, THROTTLES, SalesProEmulator

JSON_11 = "application/x-amz-json-1.1"
MAX_RESULTS = 1000
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")


def _amz(status: int, body: Any, headers: dict[str, str]) -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=JSON_11)


class RenderedPage:
    """A GetQueryResults answer already encoded (its rows were rendered to JSON by DuckDB)."""

    def __init__(self, body: bytes, rows: int) -> None:
        self.body = body
        self.rows = rows


class AthenaError(ApiError):
    def __init__(self, status: int, error_type: str, message: str) -> None:
        super().__init__(status, message)
        self.error_type = error_type


class AthenaDialect(Dialect):
    def start(self, headers):
        headers["x-amzn-RequestId"] = str(uuid.uuid4())

    def authenticate(self, emu, request, cfg, headers):
        match = _CREDENTIAL.search(request.headers.get("authorization", ""))
        if match and match.group(1) == cfg.access_key_id:
            return None
        return _amz(400, {"__type": "UnrecognizedClientException",
                          "message": "The security token included in the request is invalid."}, headers)

    def fault_response(self, route, fault, headers):
        if fault.status == 429:
            kind = fault.policy or THROTTLES[0]
            return _amz(400, {"__type": kind, "message": "Rate exceeded", **(
                {"Reason": "CONCURRENT_QUERY_LIMIT_EXCEEDED"} if kind == "TooManyRequestsException" else {})},
                headers)
        if fault.status == 500:
            return _amz(500, {"__type": "InternalServerException", "message": "We encountered an internal error."},
                        headers)
        return _amz(503, {"__type": "ServiceUnavailable", "message": "Service is unavailable."}, headers)

    def parse_body(self, raw):
        try:
            return orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            raise AthenaError(400, "SerializationException", "Start of structure or map found where not expected")

    def render(self, status, payload, headers):
        if isinstance(payload, RenderedPage):
            return Response(payload.body, status_code=status, headers=headers, media_type=JSON_11)
        return _amz(status, payload, headers)

    def error_response(self, err, headers):
        kind = getattr(err, "error_type", "InternalServerException" if err.status >= 500 else "InvalidRequestException")
        return _amz(err.status, {"__type": kind, "message": err.message}, headers)

    def results_count(self, payload):
        return payload.rows if isinstance(payload, RenderedPage) else None


def _required(body: dict, name: str) -> Any:
    value = body.get(name)
    if value in (None, ""):
        raise AthenaError(400, "InvalidRequestException", f"{name} is required")
    return value


def start_query(emu: SalesProEmulator, req: ApiRequest) -> tuple[int, Any]:
    body = req.body or {}
    query = _required(body, "QueryString")
    database = (body.get("QueryExecutionContext") or {}).get("Database") or "default"
    execution = emu.engine.start(query, database, body.get("WorkGroup") or "primary")
    return 200, {"QueryExecutionId": execution.id}


def _execution(emu: SalesProEmulator, body: dict) -> Any:
    query_id = _required(body, "QueryExecutionId")
    execution = emu.engine.get(query_id)
    if execution is None:
        raise AthenaError(400, "InvalidRequestException", f"QueryExecution {query_id} was not found")
    return execution


def get_execution(emu: SalesProEmulator, req: ApiRequest) -> tuple[int, Any]:
    execution = _execution(emu, req.body or {})
    status: dict[str, Any] = {"State": execution.state,
                              "SubmissionDateTime": _epoch(execution.submitted)}
    if execution.completed is not None:
        status["CompletionDateTime"] = _epoch(execution.completed)
    if execution.reason:
        status["StateChangeReason"] = execution.reason
    if execution.error:
        status["AthenaError"] = execution.error
    return 200, {"QueryExecution": {
        "QueryExecutionId": execution.id, "Query": execution.query, "StatementType": "DML",
        "QueryExecutionContext": {"Database": execution.database, "Catalog": "AwsDataCatalog"},
        "WorkGroup": execution.workgroup, "Status": status,
        "Statistics": {"EngineExecutionTimeInMillis": int(execution.running_s * 1000),
                       "DataScannedInBytes": 1024 * len(execution.rows)}}}


def get_results(emu: SalesProEmulator, req: ApiRequest) -> tuple[int, Any]:
    body = req.body or {}
    execution = _execution(emu, body)
    if execution.state != "SUCCEEDED":
        raise AthenaError(400, "InvalidRequestException", f"Query has not yet finished. Current state: "
                                                          f"{execution.state}")
    limit = int(body.get("MaxResults") or MAX_RESULTS)
    if not 1 <= limit <= MAX_RESULTS:
        raise AthenaError(400, "InvalidRequestException", f"MaxResults must be between 1 and {MAX_RESULTS}")
    offset = _offset(body.get("NextToken"), execution.id)
    rows: list[str] = []
    if offset == 0:  # the header row comes first and takes one of the page's rows
        rows.append(orjson.dumps({"Data": [{"VarCharValue": name} for name, _ in execution.columns]}).decode())
    end = min(len(execution.rows), offset + limit - len(rows))
    rows += execution.rows[offset:end]
    metadata = orjson.dumps({"ColumnInfo": [
        {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": name, "Label": name, "Type": kind,
         "Precision": 2147483647 if kind == "varchar" else 0, "Scale": 0, "Nullable": "UNKNOWN",
         "CaseSensitive": kind == "varchar"} for name, kind in execution.columns]}).decode()
    token = ""
    if end < len(execution.rows):
        token = ',"NextToken":' + orjson.dumps(base64.urlsafe_b64encode(f"{execution.id}:{end}".encode()).decode()).decode()
    text = f'{{"UpdateCount":0,"ResultSet":{{"Rows":[{",".join(rows)}],"ResultSetMetadata":{metadata}}}{token}}}'
    return 200, RenderedPage(text.encode(), len(rows))


def stop_query(emu: SalesProEmulator, req: ApiRequest) -> tuple[int, Any]:
    emu.engine.stop(_execution(emu, req.body or {}))
    return 200, {}


def _offset(token: str | None, query_id: str) -> int:
    if not token:
        return 0
    try:
        owner, _, offset = base64.urlsafe_b64decode(token.encode()).decode().rpartition(":")
        if owner == query_id:
            return int(offset)
    except ValueError:
        pass
    raise AthenaError(400, "InvalidRequestException", "NextToken is invalid")


def _epoch(monotonic_s: float) -> float:
    return round(time.time() - (time.monotonic() - monotonic_s), 3)


HANDLERS: dict[str, Callable[[SalesProEmulator, ApiRequest], tuple[int, Any]]] = {
    "StartQueryExecution": start_query, "GetQueryExecution": get_execution, "GetQueryResults": get_results,
    "StopQueryExecution": stop_query}


class TargetDispatch:
    """One URL for every operation (`X-Amz-Target` names it): hand the request to that operation's endpoint,
    so stats and fault rules see the operation as the route."""

    def __init__(self, emu: SalesProEmulator) -> None:
        dialect = AthenaDialect()
        self.endpoints = {op: ApiEndpoint(emu, dialect, op, HANDLERS[op], type_param=None) for op in ROUTES}

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        target = dict(scope["headers"]).get(b"x-amz-target", b"").decode()
        service, _, operation = target.partition(".")
        endpoint = self.endpoints.get(operation) if service == "AmazonAthena" else None
        if endpoint is None:
            response = _amz(400, {"__type": "UnknownOperationException",
                                  "message": f"operation {target or '(none)'} is not served"}, {})
            await response(scope, receive, send)
            return
        await endpoint(scope, receive, send)


def api_routes(emu: SalesProEmulator) -> list[Route]:
    return [Route("/", TargetDispatch(emu), methods=["POST"])]

