"""The apology after an unexpected error is in the user's language, also when the error
came before the bot knew who was writing (issue 14, item 6)."""

from __future__ import annotations

import pytest

from storage.repositories import UpdateContextRepo
from tests.factories import make_user
from tests.helpers import texts


@pytest.fixture
def failing_begin(monkeypatch):
    """The update's first statement fails, before the access middleware ran."""

    async def broken(self, **_):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(UpdateContextRepo, "load", broken)


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_the_apology_speaks_the_stored_language(app, chat, failing_begin, language):
    user = await make_user(app, 4100, name="Ivan", language=language)
    other = "ru" if language == "en" else "en"
    person = chat(user.telegram_id, language_code=other)  # the phone's language differs

    answered = texts(await person.send("/help"))

    assert answered == [app.translator.get(language)("error-unexpected")]


async def test_a_stranger_gets_it_in_the_phone_language(app, chat, failing_begin):
    stranger = chat(4101, language_code="en")
    assert texts(await stranger.send("hello")) == [app.translator.get("en")("error-unexpected")]
