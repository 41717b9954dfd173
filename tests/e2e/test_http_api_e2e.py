"""The real `python -m bot` process with its HTTP server on (HTTP_PORT): a token made by the
command line, /healthz, clients and shipments sent as JSON over HTTP, and then a registered
manager's /debts in the chat shows what was sent. One bot process for the module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
import pytest_asyncio

from storage.dto import Role
from tests.e2e.conftest import (
    Person,
    Stack,
    free_port,
    midday_zone,
    register,
    running_stack,
    texts,
)

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
MANAGER_ID = 810_001


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def http_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    env = {"HTTP_HOST": "127.0.0.1", "HTTP_PORT": str(free_port())}
    async with running_stack(tmp_path_factory.mktemp("e2e-http"), **env) as started:
        yield started


async def _register_manager(stack: Stack) -> None:
    # In a zone where it is midday: the import's notice is not held by quiet hours.
    await register(
        stack,
        MANAGER_ID,
        Role.MANAGER,
        "Ivan",
        erp_name="Иванов Иван Иванович",
        timezone=midday_zone(),
    )


async def test_an_erp_sends_json_over_http_and_the_manager_sees_the_debt(
    http_stack: Stack,
) -> None:
    stack = http_stack
    code, out, err = await stack.cli("api-token", "create", "--name", "1C exchange")
    assert code == 0, err
    token = out.strip().splitlines()[-1]
    assert token.startswith("kam_")
    await _register_manager(stack)
    base = f"http://127.0.0.1:{stack.env['HTTP_PORT']}"
    auth = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    shipped = datetime.now(UTC).date() - timedelta(days=50)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/healthz") as response:
            assert response.status == 200 and await response.json() == {"status": "ok"}
        async with http.post(f"{base}/api/v1/import/clients", json=[]) as response:
            assert response.status == 401
        clients = [
            {
                "Код": "К-1",
                "Наименование": "ООО «Ромашка»",
                "ИНН": "7707083893",
                "Ответственный": "Иванов И.И.",
            },
        ]
        async with http.post(
            f"{base}/api/v1/import/clients", json=clients, headers=auth
        ) as response:
            answer = await response.json()
            assert response.status == 200, answer
            assert (answer["read"], answer["inserted"], answer["rejected"]) == (1, 1, [])
        shipments = [
            {
                "number": "Р-1",
                "date": shipped.isoformat(),
                "client_code": "К-1",
                "amount": 12000.50,
                "due": (shipped + timedelta(days=10)).isoformat(),
            },
        ]
        async with http.post(
            f"{base}/api/v1/import/shipments", json=shipments, headers=auth
        ) as response:
            answer = await response.json()
            assert response.status == 200 and answer["inserted"] == 1, answer
        async with http.get(f"{base}/api/v1/openapi.json") as response:
            assert (await response.json())["openapi"] == "3.1.0"

    # The import gave the manager a client: the bot tells them (through the outbox, so it
    # may come a moment later); then their /debts shows what the ERP sent.
    told = await stack.fake.wait_for(
        "sendMessage",
        chat_id=MANAGER_ID,
        predicate=lambda r: "changed your clients" in (r.text or ""),
        timeout=20,
    )
    assert "ООО «Ромашка»" in (told.text or "")
    manager = Person(stack.fake, MANAGER_ID, name="Ivan", language="en")
    debts = next(t for t in texts(await manager.say("/debts")) if t.startswith("Owed"))
    assert debts.startswith("Owed: 12,000.50\u00a0₽, overdue: 12,000.50\u00a0₽"), debts
    assert "31–60 d: 12,000.50\u00a0₽" in debts

    code, out, _ = await stack.cli("api-token", "list")
    [_header, line] = out.strip().splitlines()
    assert code == 0 and "1C exchange" in line and line.endswith("active")
    assert "never" not in line  # last used: by the imports just now
    # A clean stop: the HTTP server closes after the running handlers.
    await stack.fake.wait_idle(quiet=0.3, timeout=10)
    assert await stack.bot.stop() == 0
    log = stack.bot.log_text()
    assert "HTTP server listening on http://127.0.0.1:" in log and "HTTP server stopped" in log
    assert "Traceback" not in log
