"""`GET /api/v1/openapi.json`: the ingest API as an OpenAPI 3.1 document, built from the
importer's own tables (`KINDS`, `COLUMNS`), so a column added there is documented at once.
tests/http/test_ingest_api.py checks it against the routes the server really has."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.http import exchange, health, ingest
from bot.services.erp_import import KINDS
from bot.services.erp_import.validate import COLUMNS

if TYPE_CHECKING:
    from bot.runtime.factory import App

ROUTE = "/api/v1/openapi.json"
ERROR_CODES = (
    "bad_request",
    "unauthorized",
    "unknown_kind",
    "not_found",
    "method_not_allowed",
    "busy",
    "too_large",
    "unsupported_media_type",
    "unreadable",
    "idempotency_mismatch",
    "internal",
    "http_error",
)
# Import in this order: rows refer to what came before (an unknown client is a rejected row).
ORDER = "clients → contracts → orders → order_lines → shipments → payments; prices, plans"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def row_schema_name(kind: str) -> str:
    return "".join(part.title() for part in kind.split("_")) + "Row"


def row_schema(kind: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for spec in COLUMNS[kind]:
        aliases = [a for a in spec.aliases if a != spec.name]
        properties[spec.name] = {
            "type": ["string", "number", "null"],
            "description": ("Required. " if spec.required else "")
            + ("Also accepted as: " + ", ".join(aliases) + "." if aliases else ""),
            "x-aliases": aliases,
        }
    return {
        "type": "object",
        "title": f"One {kind} row",
        "description": (
            "Keys are the column names, in English as below or as the Russian headers of a 1C "
            "export (the aliases), compared case-, space- and ё-insensitively, as a file's "
            "headers are; unknown keys are ignored. Values are strings or numbers (exact: "
            '1250000.5 or "1 250 000,50"), dates as "25.12.2026" or "2026-12-25".'
        ),
        "properties": properties,
        "required": [spec.name for spec in COLUMNS[kind] if spec.required],
        "additionalProperties": True,
    }


def _import_operation(kind: str) -> dict[str, Any]:
    return {
        "operationId": f"import_{kind}",
        "summary": f"Import {kind}",
        "description": (
            f"Imports {kind} as the file importer does: upsert by the ERP key, so sending the "
            "same rows again changes nothing; with `snapshot=true`, what the body lacks is "
            "marked removed in the ERP. One import runs at a time (409 while another does). "
            f"Order of kinds: {ORDER}. `row` in a rejected row is its position in the JSON "
            "array (from 1), or its row in the CSV/XLSX file."
        ),
        "security": [{"bearer": []}],
        "parameters": [
            {"$ref": "#/components/parameters/snapshot"},
            {"$ref": "#/components/parameters/idempotencyKey"},
        ],
        "requestBody": {
            "required": True,
            "content": {
                ingest.JSON: {"schema": {"type": "array", "items": _ref(row_schema_name(kind))}},
                ingest.CSV: {
                    "schema": {"type": "string"},
                    "description": "A 1C-style CSV export (UTF-8 or Windows-1251, ; , or tab)",
                },
                ingest.XLSX: {"schema": {}, "description": "An XLSX export"},
            },
        },
        "responses": {
            "200": {
                "description": "Imported (or, for a repeated Idempotency-Key, the first answer, "
                f"with `{ingest.REPLAYED_HEADER}: true`)",
                "headers": {
                    ingest.REPLAYED_HEADER: {
                        "description": "`true` when this is the kept answer of an earlier call",
                        "schema": {"type": "string", "enum": ["true"]},
                    }
                },
                "content": {"application/json": {"schema": _ref("Summary")}},
            },
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "409": _response(
                "Another import is running: send again when it has finished", "Error"
            ),
            "413": {"$ref": "#/components/responses/TooLarge"},
            "415": _response("Not JSON, CSV or XLSX", "Error"),
            "422": _response(
                "The file cannot be read (no header, a missing required column, not CSV or "
                "XLSX, mixed encodings), or an Idempotency-Key repeated with another body",
                "Error",
            ),
        },
    }


def _exchange_operation(method: str, route: str, max_bytes: int) -> dict[str, Any]:
    """1C's site exchange: not JSON but the protocol 1C's platform speaks (see
    bot/http/exchange.py and the README's "Orders and stock with 1C")."""
    query = [
        {"name": name, "in": "query", "required": required, "schema": schema}
        for name, required, schema in (
            ("type", True, {"type": "string", "enum": ["catalog", "sale"]}),
            (
                "mode",
                True,
                {
                    "type": "string",
                    "enum": [
                        "checkauth",
                        "init",
                        "file",
                        "import",
                        "query",
                        "success",
                        "deactivate",
                        "complete",
                    ],
                },
            ),
            ("filename", False, {"type": "string"}),
            ("version", False, {"type": "string", "examples": ["2.08", "3.1"]}),
        )
    ]
    operation: dict[str, Any] = {
        "operationId": f"onec_exchange_{method}_{route.strip('/').replace('.', '_')}",
        "summary": "1C's site exchange (Обмен с сайтами), CommerceML 2.03–2.10 and 3.1",
        "description": "checkauth takes HTTP Basic (ONEC_EXCHANGE_USER / _PASSWORD) and "
        "answers a cookie that every later call brings. Answers are text lines: "
        "`success`, `progress` or `failure` and a reason; `query` answers orders.xml.",
        "parameters": query,
        "responses": {
            "200": {
                "description": "The protocol's answer lines, or orders.xml for `query`",
                "content": {"text/plain": {}, "application/xml": {}},
            },
            "401": {"description": "No session (checkauth first) or a wrong login"},
            "404": {"description": "The exchange is off: ONEC_EXCHANGE_USER is not set"},
        },
    }
    if method == "post":
        operation["requestBody"] = {
            "description": f"A chunk of an uploaded file (mode=file), at most {max_bytes} bytes",
            "content": {"application/octet-stream": {}},
        }
    return operation


def document(*, max_bytes: int) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/healthz": {
            "get": {
                "operationId": "healthz",
                "summary": "Liveness",
                "responses": {"200": _response("The bot is running", "Health")},
            }
        },
        "/readyz": {
            "get": {
                "operationId": "readyz",
                "summary": "Readiness, for a load balancer",
                "description": "Ready while the database answers `SELECT 1` within "
                f"{health.READY_TIMEOUT:g} s and the process is not draining (a stop was "
                "asked for: what it holds is finished, nothing new is taken).",
                "responses": {
                    "200": _response("Send this process work", "Ready"),
                    "503": _response(
                        "Not now: draining, or the database unreachable (`reason`: the error's "
                        "type, or the timeout)",
                        "Ready",
                    ),
                },
            }
        },
        "/metrics": {
            "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics",
                "description": "Updates, handler latency, the outbox's backlog, sends and "
                "429s, job runs, import rows; labels never name a user, a chat or a client. "
                "Unauthenticated like /healthz: keep the port private or protect the path at "
                "the proxy.",
                "responses": {
                    "200": {
                        "description": "The Prometheus text exposition format 0.0.4",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        ROUTE: {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {ingest.JSON: {}}}},
            }
        },
    }
    for kind in KINDS:
        paths[ingest.ROUTE.replace("{kind}", kind)] = {"post": _import_operation(kind)}
    for route in exchange.ROUTES:
        paths[route] = {
            method: _exchange_operation(method, route, max_bytes) for method in ("get", "post")
        }
    schemas: dict[str, Any] = {
        "Health": {
            "type": "object",
            "properties": {"status": {"const": "ok"}},
            "required": ["status"],
        },
        "Ready": {
            "type": "object",
            "properties": {
                "status": {"enum": [health.READY, health.DRAINING, health.UNREACHABLE]},
                "reason": {"type": "string", "description": "Why the database is unreachable"},
            },
            "required": ["status"],
        },
        "Rejected": {
            "type": "object",
            "properties": {
                "row": {"type": "integer"},
                "column": {"type": "string", "description": "The canonical column name"},
                "reason": {"type": "string"},
                "value": {"type": "string"},
            },
            "required": ["row", "column", "reason", "value"],
        },
        "Summary": {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "enum": list(KINDS)},
                "snapshot": {"type": "boolean"},
                **{
                    name: {"type": "integer", "minimum": 0}
                    for name in ("read", "inserted", "updated", "unchanged", "removed")
                },
                "rejected_count": {"type": "integer", "minimum": 0},
                "rejected": {
                    "type": "array",
                    "items": _ref("Rejected"),
                    "maxItems": ingest.MAX_REJECTED,
                    "description": f"The first {ingest.MAX_REJECTED} rejected rows",
                },
                "conflicts": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "ERP codes of clients handed over in the chat: the import "
                    "kept their owner (the admins are told)",
                },
            },
            "required": [
                "kind",
                "snapshot",
                "read",
                "inserted",
                "updated",
                "unchanged",
                "removed",
                "rejected_count",
                "rejected",
                "conflicts",
            ],
        },
        "Error": {
            "type": "object",
            "properties": {
                "error": {"type": "string", "enum": list(ERROR_CODES)},
                "message": {"type": "string", "description": "In Accept-Language (ru or en)"},
                "reason": {"type": "string", "description": "Why a file cannot be read"},
            },
            "required": ["error", "message"],
            "additionalProperties": True,
        },
        **{row_schema_name(kind): row_schema(kind) for kind in KINDS},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "KAM Assistant ingest API",
            "version": "1",
            "description": (
                "Send an ERP's data to the bot: rows as JSON, or an export as CSV or XLSX, one "
                f"kind at a time ({ORDER}). Tokens: `python -m bot api-token create --name "
                f"<name>`. An unknown kind is 404; a body over {max_bytes} bytes "
                "(HTTP_MAX_BYTES) is 413 before it is read."
            ),
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "`Authorization: Bearer kam_…`, a token made with "
                    "`python -m bot api-token create`",
                }
            },
            "parameters": {
                "snapshot": {
                    "name": "snapshot",
                    "in": "query",
                    "required": False,
                    "description": "A full export: mark what it lacks removed in the ERP. An "
                    "empty JSON array is refused as a snapshot.",
                    "schema": {"type": "boolean", "default": False},
                },
                "idempotencyKey": {
                    "name": ingest.IDEMPOTENCY_HEADER,
                    "in": "header",
                    "required": False,
                    "description": "Any 1–128 printable ASCII characters. A repeat within 24 h "
                    "gets the first call's answer back without importing again; the same key "
                    "with another body is 422.",
                    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,128}$"},
                },
            },
            "responses": {
                "BadRequest": _response(
                    "Not JSON, not an array of objects, a value that is neither a string nor a "
                    "number, a bad `snapshot` or Idempotency-Key",
                    "Error",
                ),
                "Unauthorized": _response("No token, or a wrong or revoked one", "Error"),
                "TooLarge": _response("The body is over HTTP_MAX_BYTES", "Error"),
            },
            "schemas": schemas,
        },
    }


def add_routes(web_app: web.Application, app: App) -> None:
    text = json.dumps(document(max_bytes=app.settings.http_max_bytes), ensure_ascii=False)

    async def openapi(request: web.Request) -> web.Response:
        return web.Response(text=text, content_type="application/json")

    web_app.router.add_get(ROUTE, openapi)
