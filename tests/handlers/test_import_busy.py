"""A file sent to /import while another import runs (issue 14, item 5): the admin is told
which import is running and to send the file again later; nothing of the file is staged."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import EditMessageText, GetFile, SendMessage, TelegramMethod
from aiogram.types import Document, File
from sqlalchemy import func, select

from storage.imports import ImportRepo
from storage.models import Client, ImportRun, StagedRow
from tests.helpers import RecordingSession

FILE = "Код;Наименование\r\nК-1;ООО «Ромашка»\r\n".encode("cp1251")


class FileSession(RecordingSession):
    """The recording session, also serving one file for bot.download (getFile, then its
    content), as the Bot API does."""

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetFile):
            return File(file_id=method.file_id, file_unique_id="u1", file_path="documents/c.csv")
        return super()._result(bot, method)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        assert url.endswith("documents/c.csv"), url
        yield FILE


@pytest.fixture
def session() -> RecordingSession:
    return FileSession()


async def _finished(app) -> None:
    while app.background:
        await asyncio.gather(*list(app.background))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Another import is running (Shipments, big.csv)."),
        ("ru", "(Реализации, big.csv)"),
    ],
)
async def test_a_second_import_is_told_the_first_one_runs(
    app, chat, session, clock, language, expected
):
    admin = chat(100_001, language_code=language)
    await admin.send("/start")
    async with app.database.transaction() as s:
        assert (
            await ImportRepo(s).start_run("shipments", "big.csv", False, None, clock()) is not None
        )
    document = Document(file_id="f1", file_unique_id="u1", file_name="c.csv", file_size=len(FILE))
    await admin._feed(message=admin.message(None, document=document, caption="/import clients"))
    await _finished(app)
    started = session.of(SendMessage)[-1].text
    answer = session.of(EditMessageText)[-1].text
    assert "c.csv" in started
    assert expected in answer, answer
    async with app.database.read() as s:
        staged = await s.scalar(select(func.count(StagedRow.id)))
        clients = await s.scalar(select(func.count(Client.id)))
        runs = (await s.execute(select(ImportRun.kind, ImportRun.active))).all()
    assert (staged, clients) == (0, 0)
    assert [tuple(r) for r in runs] == [("shipments", True)]  # the running one untouched


async def test_the_same_file_is_imported_once_the_other_import_finished(app, chat, session):
    admin = chat(100_001, language_code="en")
    await admin.send("/start")
    document = Document(file_id="f1", file_unique_id="u1", file_name="c.csv", file_size=len(FILE))
    await admin._feed(message=admin.message(None, document=document, caption="/import clients"))
    await _finished(app)
    assert "1 new" in session.of(EditMessageText)[-1].text
    async with app.database.read() as s:
        assert await s.scalar(select(func.count(Client.id))) == 1
