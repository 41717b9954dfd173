"""The ingest API in-process: aiohttp's test server over the production application
(`create_http_app`) on a real, migrated SQLite database, with tokens made as the command
line makes them."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from bot.http import ingest, openapi
from bot.http.server import create_http_app, start_http_server, stop_http_server
from bot.runtime.config import SettingsError
from bot.services.api_tokens import create_api_token, revoke_api_token
from bot.services.erp_import import KINDS
from bot.services.erp_import.validate import COLUMNS
from bot.services.erp_views import debts
from storage.dto import UserUpdate
from storage.repositories import Repos
from tests.conftest import START
from tests.erp.files import csv_1c, xlsx_1c
from tests.factories import make_user

TODAY = START.date()
CLIENTS_RU = [
    {
        "Код": "К-001",
        "Наименование": "ООО «Ромашка»",
        "ИНН": 7707083893,  # a number, as an ERP's JSON may well send it
        "КПП": "770701001",
        "Ответственный": "Иванов И.И.",
        "Категория": "A",
    },
    {
        "код": "К-002",  # keys as file headers are compared: any case, spaces, ё
        " Наименование ": "ПАО «Лютик»",
        "ИНН": "7736207543",
        "основной  менеджер": "Иванов И.И.",
        "Комментарий": "not a column: ignored",
    },
]
CONTRACTS_EN = [{"client_code": "К-001", "number": "15/2026", "deferral": 30}]
SHIPMENTS_EN = [
    # Due 31.10 (the contract's 30 days): 23 days overdue on 23.11.
    {
        "number": "Р-1",
        "date": "2026-10-01",
        "client_code": "К-001",
        "contract": "15/2026",
        "amount": 12000.50,
    },
    {
        "Number": "Р-2",
        "Date": "01.11.2026",
        "Client code": "К-002",
        "Amount": "1 500,00",
        "Due": "2026-12-10",
    },
]


@pytest.fixture
async def http(app) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_http_app(app))) as client:
        yield client


async def _token(app, name: str = "1C exchange"):
    async with app.database.transaction() as s:
        return await create_api_token(Repos(s), name, now=app.clock())


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _post(http, kind: str, token: str, rows, **kwargs):
    response = await http.post(f"/api/v1/import/{kind}", json=rows, headers=_auth(token), **kwargs)
    return response.status, await response.json()


async def _manager(app):
    ivan = await make_user(app, 5001, name="Иван Иванов")
    async with app.database.transaction() as s:
        return await Repos(s).users.update(
            ivan.id, UserUpdate(erp_name="Иванов Иван Иванович"), actor_id=None, now=app.clock()
        )


async def _clients(app) -> list[str]:
    async with app.database.read() as s:
        return sorted(c.external_id or "" for c in await Repos(s).erp.client_keys())


async def _calls(app, token_id: int):
    async with app.database.read() as s:
        return [
            e for e in await Repos(s).audit.history("api_token", token_id) if e.action == "import"
        ]


async def test_healthz(http) -> None:
    response = await http.get("/healthz")
    assert response.status == 200 and await response.json() == {"status": "ok"}


async def test_no_wrong_or_revoked_token_is_401_and_writes_nothing(app, http) -> None:
    created, token = await _token(app)
    _, revoked = await _token(app, "old")
    async with app.database.transaction() as s:
        await revoke_api_token(Repos(s), "old", now=app.clock())
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    for headers in (
        {},
        {"Authorization": f"Bearer {wrong}"},
        {"Authorization": f"Bearer {revoked}"},
        {"Authorization": f"Basic {token}"},
        {"Authorization": "Bearer"},
    ):
        response = await http.post("/api/v1/import/clients", json=CLIENTS_RU, headers=headers)
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="kam"'
        body = await response.json()
        assert body["error"] == "unauthorized"
        assert body["message"].startswith("Нет действующего токена API")  # DEFAULT_LANGUAGE
    assert await _clients(app) == []
    assert await _calls(app, created.id) == []


async def test_a_refused_client_never_sends_its_body(app, http) -> None:
    """`Expect: 100-continue` (curl sends it for bodies over 1 KB): a bad token is answered
    before the client is told to go on, so the body is never uploaded, let alone read."""
    reader, writer = await asyncio.open_connection(http.host, http.port)
    writer.write(
        b"POST /api/v1/import/clients HTTP/1.1\r\nHost: x\r\n"
        b"Authorization: Bearer kam_" + b"x" * 43 + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100000\r\n"
        b"Expect: 100-continue\r\n\r\n"
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 5)
    assert status.startswith(b"HTTP/1.1 401")
    writer.close()
    await writer.wait_closed()
    _, token = await _token(app)
    # An admitted client is told to go on, and its body is imported.
    body = json.dumps(CLIENTS_RU).encode()
    reader, writer = await asyncio.open_connection(http.host, http.port)
    writer.write(
        b"POST /api/v1/import/clients HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n".encode()
        + b"Content-Type: application/json\r\nExpect: 100-continue\r\n\r\n"
    )
    await writer.drain()
    assert await asyncio.wait_for(reader.readline(), 5) == b"HTTP/1.1 100 Continue\r\n"
    assert await asyncio.wait_for(reader.readline(), 5) == b"\r\n"
    writer.write(body)
    answer = await asyncio.wait_for(reader.read(), 30)
    writer.close()
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 200 OK", answer[:300]
    assert await _clients(app) == ["К-001", "К-002"]


async def test_json_clients_then_shipments_with_russian_and_english_keys(app, http) -> None:
    ivan = await _manager(app)
    _, token = await _token(app)
    status, answer = await _post(http, "clients", token, CLIENTS_RU)
    assert status == 200
    assert answer == {
        "kind": "clients",
        "snapshot": False,
        "read": 2,
        "inserted": 2,
        "updated": 0,
        "unchanged": 0,
        "removed": 0,
        "rejected_count": 0,
        "rejected": [],
        "conflicts": [],
    }
    assert (await _post(http, "contracts", token, CONTRACTS_EN))[1]["inserted"] == 1
    status, answer = await _post(http, "shipments", token, SHIPMENTS_EN)
    assert (status, answer["inserted"], answer["rejected"]) == (200, 2, [])
    async with app.database.read() as s:
        repos = Repos(s)
        [found] = await repos.clients.search("ромашка", None, None, 5)
        romashka = await repos.clients.get(found.id)
        [report] = await debts(repos, ivan, today=TODAY)
    assert romashka.owner_id == ivan.id and romashka.inn == "7707083893"
    # Exact to the kopeck: 12000.50 travels as a JSON number and is never a float.
    assert report.total == Decimal("13500.50") and report.overdue == Decimal("12000.50")


async def test_a_bad_row_is_rejected_with_its_row_and_reason(app, http) -> None:
    _, token = await _token(app)
    await _post(http, "clients", token, CLIENTS_RU)
    rows = [
        {"number": "Р-1", "date": "2026-10-01", "client_code": "К-001", "amount": 100},
        {"number": "Р-2", "date": "2026-10-01", "client_code": "К-999", "amount": 100},
        {"number": "Р-3", "date": "2026-10-01", "client_code": "К-001", "amount": 100.005},
        {"number": "Р-4", "date": "вчера", "client_code": "К-001", "amount": 100},
    ]
    status, answer = await _post(http, "shipments", token, rows)
    assert status == 200 and answer["read"] == 4 and answer["inserted"] == 1
    assert answer["rejected_count"] == 3
    by_row = {r["row"]: r for r in answer["rejected"]}
    assert by_row[2] == {
        "row": 2,
        "column": "client_code",
        "reason": "unknown client",
        "value": "К-999",
    }
    # A third decimal is refused, as in a file, never rounded.
    assert (by_row[3]["column"], by_row[3]["value"]) == ("amount", "100.005")
    assert "decimal" in by_row[3]["reason"]
    assert (by_row[4]["column"], by_row[4]["value"]) == ("date", "вчера")


async def test_the_same_body_twice_changes_nothing_the_second_time(app, http) -> None:
    await _manager(app)
    _, token = await _token(app)
    await _post(http, "clients", token, CLIENTS_RU)
    await _post(http, "contracts", token, CONTRACTS_EN)
    first = (await _post(http, "shipments", token, SHIPMENTS_EN))[1]
    async with app.database.read() as s:
        audit_before = await Repos(s).audit.history("client", 1)
    again = (await _post(http, "clients", token, CLIENTS_RU))[1]
    second = (await _post(http, "shipments", token, SHIPMENTS_EN))[1]
    assert first["inserted"] == 2
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert (second["inserted"], second["updated"], second["unchanged"]) == (0, 0, 2)
    async with app.database.read() as s:
        assert await Repos(s).audit.history("client", 1) == audit_before


async def test_csv_and_xlsx_bodies_are_imported_as_files(app, http, tmp_path: Path) -> None:
    _, token = await _token(app)
    csv_file = csv_1c(
        tmp_path / "clients.csv",
        ["Код", "Наименование", "ИНН"],
        [["К-001", "ООО «Ромашка»", "7707083893"], ["К-003", "Битый ИНН", "1234567890"]],
        title="Контрагенты",
    )
    response = await http.post(
        "/api/v1/import/clients",
        data=csv_file.read_bytes(),  # Windows-1251, title lines and a total row, as 1C saves
        headers={**_auth(token), "Content-Type": "text/csv; charset=windows-1251"},
    )
    answer = await response.json()
    assert response.status == 200 and (answer["read"], answer["inserted"]) == (2, 1)
    # The file's own row number: two title lines and a blank one above the header.
    assert [(r["row"], r["column"]) for r in answer["rejected"]] == [(6, "inn")]
    xlsx_file = xlsx_1c(
        tmp_path / "clients.xlsx", ["Код", "Наименование"], [["К-002", "ПАО «Лютик»"]]
    )
    response = await http.post(
        "/api/v1/import/clients",
        data=xlsx_file.read_bytes(),
        headers={**_auth(token), "Content-Type": ingest.XLSX},
    )
    assert response.status == 200 and (await response.json())["inserted"] == 1
    assert await _clients(app) == ["К-001", "К-002"]
    # A file the importer cannot read: 422 with its reason.
    response = await http.post(
        "/api/v1/import/clients",
        data=b"just;some;text\n1;2;3\n",
        headers={**_auth(token), "Content-Type": "text/csv"},
    )
    body = await response.json()
    assert response.status == 422
    assert (body["error"], body["reason"]) == ("unreadable", "import-error-no-header")


async def test_a_body_over_the_limit_is_413(app, http) -> None:
    app.settings = app.settings.model_copy(update={"http_max_bytes": 1024})
    _, token = await _token(app)
    async with TestClient(TestServer(create_http_app(app))) as small:
        rows = [{"Код": f"К-{i:03}", "Наименование": f"Клиент {i}"} for i in range(100)]
        response = await small.post("/api/v1/import/clients", json=rows, headers=_auth(token))
        body = await response.json()
        assert response.status == 413 and body["error"] == "too_large"
        assert body["message"].startswith("Тело запроса больше 1\u00a0024 байт")

        async def chunked():  # no Content-Length: counted as it comes
            for i in range(0, 4000, 100):
                yield json.dumps({"Код": f"К-{i}"}).encode().ljust(100)

        response = await small.post(
            "/api/v1/import/clients",
            data=chunked(),
            headers={**_auth(token), "Content-Type": "application/json"},
        )
        assert response.status == 413 and (await response.json())["error"] == "too_large"
        # Under the limit, chunked too, is imported.
        small_body = json.dumps(rows[:3]).encode()

        async def few():
            yield small_body[:10]
            yield small_body[10:]

        response = await small.post(
            "/api/v1/import/clients",
            data=few(),
            headers={**_auth(token), "Content-Type": "application/json"},
        )
        assert response.status == 200 and (await response.json())["inserted"] == 3
    assert await _clients(app) == ["К-000", "К-001", "К-002"]


async def test_unknown_kind_route_and_method(app, http) -> None:
    _, token = await _token(app)
    response = await http.post("/api/v1/import/invoices", json=[], headers=_auth(token))
    body = await response.json()
    assert response.status == 404 and body["error"] == "unknown_kind"
    assert body["message"].startswith("Неизвестный вид загрузки invoices; допустимы: clients")
    response = await http.get("/api/v2/nothing", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert response.status == 404 and await response.json() == {
        "error": "not_found",
        "message": "No such address. See /api/v1/openapi.json.",
    }
    response = await http.get("/api/v1/import/clients")
    assert response.status == 405 and (await response.json())["error"] == "method_not_allowed"
    assert response.headers["Allow"] == "POST"


async def test_bad_bodies_are_400_and_change_nothing(app, http) -> None:
    created, token = await _token(app)
    headers = {**_auth(token), "Accept-Language": "en"}
    cases = [
        (b'[{"code": ', "application/json", "The body is not valid JSON"),
        (b'[{"code": NaN}]', "application/json", "The body is not valid JSON"),
        (b'{"code": "K-1"}', "application/json", "The body must be a JSON array of objects"),
        (b'[{"code": "K-1", "name": "A"}, 7]', "application/json", "Row 2 is not a JSON object"),
        (b'[{"code": "K-1", "name": ["A"]}]', "application/json", "Row 1, key name: a value"),
        (b'[{"code": "K-1", "name": true}]', "application/json", "Row 1, key name: a value"),
    ]
    for body, media, message in cases:
        response = await http.post(
            "/api/v1/import/clients", data=body, headers={**headers, "Content-Type": media}
        )
        answer = await response.json()
        assert (response.status, answer["error"]) == (400, "bad_request"), body
        assert answer["message"].startswith(message), answer
    response = await http.post("/api/v1/import/clients?snapshot=true", json=[], headers=headers)
    assert response.status == 400
    assert (await response.json())["message"].startswith("An empty snapshot would mark")
    response = await http.post("/api/v1/import/clients?snapshot=maybe", json=[], headers=headers)
    assert response.status == 400
    response = await http.post(
        "/api/v1/import/clients",
        data=b"code,name",
        headers={**headers, "Content-Type": "text/plain"},
    )
    assert response.status == 415 and (await response.json())["error"] == "unsupported_media_type"
    assert await _clients(app) == []
    # Refused calls are audited too, with why.
    assert [
        (e.changes["status"][1], e.changes.get("error", [None, None])[1])
        for e in await _calls(app, created.id)
    ][-2:] == [(400, "bad_request"), (415, "unsupported_media_type")]


async def test_a_snapshot_marks_what_the_body_lacks_removed(app, http) -> None:
    _, token = await _token(app)
    await _post(http, "clients", token, CLIENTS_RU)
    response = await http.post(
        "/api/v1/import/clients?snapshot=true", json=CLIENTS_RU[:1], headers=_auth(token)
    )
    answer = await response.json()
    assert (answer["snapshot"], answer["unchanged"], answer["removed"]) == (True, 1, 1)


async def test_every_call_is_audited_with_the_token_name(app, http, clock) -> None:
    created, token = await _token(app)
    clock.set(START + timedelta(minutes=5))
    await _post(http, "clients", token, CLIENTS_RU)
    [call] = await _calls(app, created.id)
    assert call.at == START + timedelta(minutes=5) and call.actor_id is None
    facts = {name: after for name, (before, after) in call.changes.items()}
    assert facts["token"] == "1C exchange" and facts["kind"] == "clients"
    assert facts["status"] == 200 and facts["format"] == "json"
    assert (facts["read"], facts["inserted"], facts["rejected"]) == (2, 2, 0)
    assert "answer" not in facts  # kept only for an Idempotency-Key
    async with app.database.read() as s:
        stored = await Repos(s).api_tokens.get(created.id)
    assert stored.last_used_at == START + timedelta(minutes=5)


async def test_another_import_running_is_409(app, http) -> None:
    _, token = await _token(app)
    async with app.database.transaction() as s:
        run_id = await Repos(s).imports.start_run("prices", "prices.csv", False, None, app.clock())
    status, answer = await _post(http, "clients", token, CLIENTS_RU)
    assert (status, answer["error"]) == (409, "busy")
    assert "prices" in answer["message"] and "prices.csv" in answer["message"]
    async with app.database.transaction() as s:
        await Repos(s).imports.finish_run(run_id, "done", {}, app.clock())
    assert (await _post(http, "clients", token, CLIENTS_RU))[0] == 200


async def test_an_idempotency_key_gets_the_first_answer_back(app, http, clock) -> None:
    created, token = await _token(app)
    key = {"Idempotency-Key": "clients-2026-11-23"}
    response = await http.post(
        "/api/v1/import/clients", json=CLIENTS_RU, headers={**_auth(token), **key}
    )
    first = await response.json()
    assert first["inserted"] == 2 and "Idempotent-Replayed" not in response.headers
    # Meanwhile the ERP renames a client (no key).
    renamed = [{**CLIENTS_RU[0], "Наименование": "ООО «Ромашка-2»"}]
    assert (await _post(http, "clients", token, renamed))[1]["updated"] == 1
    # The repeat (a retry after a lost answer) is not imported again: the first answer.
    clock.set(START + timedelta(hours=23))
    response = await http.post(
        "/api/v1/import/clients", json=CLIENTS_RU, headers={**_auth(token), **key}
    )
    assert response.status == 200 and response.headers["Idempotent-Replayed"] == "true"
    assert await response.json() == first
    async with app.database.read() as s:
        [romashka] = await Repos(s).clients.search("ромашка", None, None, 5)
    assert romashka.name == "ООО «Ромашка-2»"
    # The same key with another body is a mistake of the caller's.
    response = await http.post(
        "/api/v1/import/clients", json=renamed, headers={**_auth(token), **key}
    )
    assert response.status == 422 and (await response.json())["error"] == "idempotency_mismatch"
    # Past 24 hours the key is forgotten: imported again.
    clock.set(START + timedelta(hours=25))
    response = await http.post(
        "/api/v1/import/clients", json=CLIENTS_RU, headers={**_auth(token), **key}
    )
    answer = await response.json()
    assert "Idempotent-Replayed" not in response.headers and answer["updated"] == 1
    replayed = [e.changes.get("replayed", [None, False])[1] for e in await _calls(app, created.id)]
    assert replayed == [False, False, True, False, False]
    # Another token's same key is its own.
    _, other = await _token(app, "Bank")
    response = await http.post(
        "/api/v1/import/clients", json=CLIENTS_RU, headers={**_auth(other), **key}
    )
    assert "Idempotent-Replayed" not in response.headers


async def _resolve(web_app, method: str, path: str):
    match = await web_app.router.resolve(make_mocked_request(method, path, app=web_app))
    return match.route if match.http_exception is None else None


async def test_openapi_routes_match_the_server(app, http) -> None:
    web_app = create_http_app(app)
    doc = await (await http.get("/api/v1/openapi.json")).json()
    assert doc == json.loads(json.dumps(openapi.document(max_bytes=app.settings.http_max_bytes)))
    documented = [(method.upper(), path) for path, item in doc["paths"].items() for method in item]
    # Nothing documented that is not routed: each documented operation reaches a route.
    reached = {}
    for method, path in documented:
        route = await _resolve(web_app, method, path)
        assert route is not None and route.method == method, (method, path)
        reached.setdefault(route, []).append(path)
    # Every route documented (aiohttp adds HEAD beside every GET: not an operation).
    routes = [r for r in web_app.router.routes() if r.method != "HEAD"]
    assert set(routes) == set(reached)
    assert sorted(reached[next(r for r in routes if r.method == "POST")]) == sorted(
        f"/api/v1/import/{kind}" for kind in KINDS
    )
    # Each kind's columns, the required ones marked, from the importer's own table.
    for kind in KINDS:
        schema = doc["components"]["schemas"][openapi.row_schema_name(kind)]
        assert list(schema["properties"]) == [spec.name for spec in COLUMNS[kind]]
        assert schema["required"] == [spec.name for spec in COLUMNS[kind] if spec.required]
        body = doc["paths"][f"/api/v1/import/{kind}"]["post"]["requestBody"]["content"]
        assert set(body) == {ingest.JSON, ingest.CSV, ingest.XLSX}
    assert doc["components"]["schemas"]["ClientsRow"]["properties"]["code"]["x-aliases"][:1] == [
        "Код"
    ]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    summary = doc["components"]["schemas"]["Summary"]["required"]
    assert set(summary) == set((await _post(http, "clients", (await _token(app))[1], []))[1])


async def test_the_server_starts_on_its_port_and_stops(app) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.settings = app.settings.model_copy(update={"http_port": port})
    runner = await start_http_server(app)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert await response.json() == {"status": "ok"}
            # The port is taken now: a second server says so in one line.
            with pytest.raises(
                SettingsError, match=rf"HTTP_PORT: cannot listen on 127\.0\.0\.1:{port} \("
            ):
                await start_http_server(app)
    finally:
        await stop_http_server(runner)
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"http://127.0.0.1:{port}/healthz")
