"""HubSpot-shaped error bodies (API_SHAPES §1.13)."""

from __future__ import annotations

from typing import Any

import orjson

from ..kit.errors import ApiError as KitApiError

INVALID_AUTH_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find "
    "more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)


class ApiError(KitApiError):
    def __init__(self, status: int, category: str, message: str, context: dict[str, list[str]] | None = None,
                 sub_category: str | None = None) -> None:
        super().__init__(status, message)
        self.category = category
        self.context = context
        self.sub_category = sub_category

    def body(self, correlation_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "error", "message": self.message, "correlationId": correlation_id}
        if self.context is not None:
            body["context"] = self.context
        body["category"] = self.category
        if self.sub_category:
            body["subCategory"] = self.sub_category
        return body


def validation(message: str) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", message)


def not_found(object_id: str) -> ApiError:
    return ApiError(404, "OBJECT_NOT_FOUND", "Object not found.  objectId are usually numeric.",
                    context={"id": [object_id]})


def rate_limit_body(policy: str, correlation_id: str) -> dict[str, Any]:
    wording = {"DAILY": "daily", "SECONDLY": "secondly", "TEN_SECONDLY_ROLLING": "ten_secondly_rolling"}
    return {
        "status": "error",
        "message": f"You have reached your {wording.get(policy, policy.lower())} limit.",
        "errorType": "RATE_LIMIT",
        "correlationId": correlation_id,
        "policyName": policy,
        "groupName": "publicapi:private-app:sandbox",
    }


def fault_body(status: int, correlation_id: str) -> tuple[bytes, str]:
    """Body for an injected status: JSON for HubSpot-generated errors, HTML for edge/proxy ones."""
    if status in (502, 504, 520, 524):
        # Gateways and Cloudflare answer with HTML, which a client must not try to parse as JSON.
        html = f"<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center>" \
               f"<hr><center>cloudflare</center></body></html>"
        return html.encode(), "text/html"
    if status == 401:
        err = ApiError(401, "INVALID_AUTHENTICATION", INVALID_AUTH_MESSAGE)
    elif status == 403:
        err = ApiError(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this "
                       "call. Read more about required scopes here: https://developers.hubspot.com/scopes.")
    elif status == 400:
        err = validation("Injected validation error.")
    elif status == 503:
        err = ApiError(503, "SERVICE_UNAVAILABLE", "Service unavailable, please try again.")
    else:
        err = ApiError(status, "INTERNAL_ERROR", "internal error")
    return orjson.dumps(err.body(correlation_id)), "application/json"
