"""Search keys for client names and for what people type to find them."""

from __future__ import annotations

import pytest

from bot.services.client_search import looks_like_inn, query_key, search_key


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the examples from the specification
        ("ООО «Ромашка»", "ромашка"),
        ("Ромашка, ООО", "ромашка"),
        ('ПАО "Северсталь"', "северсталь"),
        ("Ёлки-Палки LLC", "елки палки"),
        # quotes of every kind
        ("ООО „Ромашка“", "ромашка"),
        ("ООО “Ромашка”", "ромашка"),
        ("ООО 'Ромашка'", "ромашка"),
        ("ООО ‘Ромашка’", "ромашка"),
        ("ООО «“Ромашка”»", "ромашка"),
        ('ООО"Ромашка"', "ромашка"),  # a quote glued to the legal form
        ("АО«Ромашка»", "ромашка"),
        ("O'Brien Ltd.", "obrien"),  # an apostrophe inside a word is part of it
        ("O’Brien Ltd.", "obrien"),
        # legal forms, short, anywhere, any case
        ("Ромашка ООО", "ромашка"),
        ("ооо ромашка", "ромашка"),
        ("Ромашка (ООО)", "ромашка"),
        ("ОАО Ромашка", "ромашка"),
        ("ЗАО Ромашка", "ромашка"),
        ("АО Ромашка", "ромашка"),
        ("НАО Ромашка", "ромашка"),
        ("ИП Иванов Иван Иванович", "иванов иван иванович"),
        ("ЧП Петров", "петров"),
        ("ГУП Мосгортранс", "мосгортранс"),
        ("МУП Водоканал", "водоканал"),
        ("ФГУП Почта России", "почта россии"),
        ("НКО Фонд", "фонд"),
        ("АНО Развитие", "развитие"),
        ("ТОО Казахстан Трейд", "казахстан трейд"),
        ("ОДО Минск", "минск"),
        ("Acme LLC", "acme"),
        ("Acme, Ltd.", "acme"),
        ("Acme Ltd", "acme"),
        ("Acme Inc.", "acme"),
        ("ACME INC", "acme"),
        ("Siemens GmbH", "siemens"),
        ("Siemens AG", "siemens"),
        ("Gazprom JSC", "gazprom"),
        ("PJSC Gazprom", "gazprom"),
        ("CJSC Acme", "acme"),
        ("Acme LLP", "acme"),
        ("Nestlé S.A.", "nestlé"),
        ("Nestle S. A.", "nestle"),
        # long forms
        ("Общество с ограниченной ответственностью «Ромашка»", "ромашка"),
        ("общество  с   ограниченной ответственностью Ромашка", "ромашка"),
        ("Акционерное общество «Ромашка»", "ромашка"),
        ("Публичное акционерное общество «Сбербанк России»", "сбербанк россии"),
        ("Закрытое акционерное общество Ромашка", "ромашка"),
        ("Открытое акционерное общество Ромашка", "ромашка"),
        ("Индивидуальный предприниматель Иванов И.И.", "иванов и и"),
        ("«Ромашка», Акционерное общество", "ромашка"),
        # ё, case, punctuation, whitespace
        ("Ёжик", "ежик"),
        ("ЁЛКИ", "елки"),
        ("Ромашка-Плюс", "ромашка плюс"),
        ("Ромашка  \t Плюс\n", "ромашка плюс"),
        ("Ромашка & Co.", "ромашка co"),
        ("Ромашка/Лютик", "ромашка лютик"),
        ("Ромашка_Лютик", "ромашка лютик"),
        ("  Ромашка!!!  ", "ромашка"),
        ("Ромашка №1", "ромашка no1"),
        ("1С-Битрикс", "1с битрикс"),
        ("ＲＯＭＡＳＨＫＡ", "romashka"),  # full-width letters
        ("Strauß GmbH", "strauss"),  # casefold, not lower
        ("Йогурт", "йогурт"),
        ("И\u0306огурт", "йогурт"),  # й typed as и + combining breve
        ("Е\u0308лка", "елка"),  # ё typed as е + combining diaeresis
        ("", ""),
        ("   ", ""),
        ("«»", ""),
    ],
)
def test_search_key(name: str, expected: str) -> None:
    assert search_key(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Legal-form words inside other words are not legal forms.
        ("Аорта", "аорта"),
        ("Ипподром", "ипподром"),
        ("Оооо Ромашка", "оооо ромашка"),
        ("Agro LLC", "agro"),
        ("Incom", "incom"),
        ("Общество охотников", "общество охотников"),  # "общество" alone is not a form
        ("Акционерное общество", "акционерное общество"),  # nothing but a form: kept
        ("ООО", "ооо"),
        ("AG", "ag"),
        ("ООО АО", "ооо ао"),
    ],
)
def test_search_key_keeps_what_is_not_a_legal_form(name: str, expected: str) -> None:
    assert search_key(name) == expected


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("ООО «Ромашка»", "ромашка"),
        ("ООО «Ромашка»", "Ромашка"),
        ("ООО «Ромашка»", '"Ромашка"'),
        ("ООО «Ромашка»", "ромашка ооо"),
        ("Ёлки-Палки LLC", "елки палки"),
        ("Ёлки-Палки LLC", "ёлки-палки"),
        ("Ёлки-Палки LLC", "Елки Палки"),
        ("ПАО «Северсталь»", "северсталь пао"),
        ("O'Brien Ltd.", "OBrien"),
    ],
)
def test_query_matches_stored_name(stored: str, typed: str) -> None:
    assert query_key(typed) == search_key(stored)


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("ООО «Ромашка-Плюс»", "ромашка"),
        ("ООО «Ромашка-Плюс»", "плюс"),
        ("ООО «Ромашка-Плюс»", "ромаш"),
        ("ПАО «Сбербанк России»", "сбербанк"),
        ("Ёлки-Палки LLC", "ёлки"),
    ],
)
def test_query_is_a_substring_of_stored_key(stored: str, typed: str) -> None:
    assert query_key(typed) in search_key(stored)


@pytest.mark.parametrize("text", ["ООО «Ромашка»", "Ёлки-Палки LLC", "  ", "O'Brien"])
def test_query_key_is_search_key(text: str) -> None:
    assert query_key(text) == search_key(text)


@pytest.mark.parametrize("name", ["ООО «Ромашка»", "Ёлки-Палки LLC", "Nestlé S.A.", "AG"])
def test_search_key_is_idempotent(name: str) -> None:
    assert search_key(search_key(name)) == search_key(name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7707083893", True),
        ("500100732259", True),
        ("7707 083 893", True),
        (" 7707083893 ", True),
        ("5001\u00a0007\u00a032259", True),
        ("1234567890", True),  # the check digits are not this function's business
        ("770708389", False),
        ("77070838931", False),
        ("5001007322590", False),
        ("7707O83893", False),
        ("ИНН 7707083893", False),
        ("7707-083-893", False),
        ("７７０７０８３８９３", False),  # full-width digits
        ("", False),
        ("Ромашка", False),
    ],
)
def test_looks_like_inn(text: str, expected: bool) -> None:
    assert looks_like_inn(text) is expected
