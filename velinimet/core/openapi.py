"""OpenAPI post-processing: every operation documents the error answers it can really give.

The exception handler (``core.rest``) gives every error the one shape ``Error``; an operation's own
``extend_schema`` documents its success and its special errors (a 409 with ``candidates``). This hook adds
the rest, so a client (and the schemathesis run in CI) can rely on the documented status codes:

- every operation: 400 (a bad query parameter, a NUL character), 401, 403, 429 and 500;
- an operation on one record (a path parameter): 404;
- an operation with a body: 409 (a stale ``version``, a duplicate name), 413 (too large), 415 (not JSON);
- DELETE: 409 (a record that others still need, e.g. a team with members).
"""

from __future__ import annotations

from typing import Any

ERROR_REF = {"$ref": "#/components/schemas/Error"}
DESCRIPTIONS = {
    "400": "Invalid input: `errors` holds the field errors",
    "401": "Not authenticated",
    "403": "Not allowed",
    "404": "No such record, or one you may not see",
    "409": "Conflict with the stored data",
    "413": "Request body too large",
    "415": "Unsupported media type",
    "429": "Too many requests",
    "500": "Server error (still in the error shape)",
}


def _codes(method: str, operation: dict[str, Any], path: str) -> list[str]:
    codes = ["400", "401", "403", "429", "500"]
    if "{" in path:
        codes.append("404")
    if "requestBody" in operation or method in {"post", "put", "patch"}:
        codes += ["409", "413", "415"]
    if method == "delete":
        codes.append("409")
    return codes


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: add the error answers each operation can give."""
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for code in _codes(method, operation, path):
                responses.setdefault(
                    code,
                    {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": ERROR_REF}}},
                )
    return result
