"""What 1C uploads is not trusted (issue 17): a DTD, an entity bomb or an external entity is
refused before the parser sees it, a malformed or truncated file is refused with the
reason, the size is capped, and the encoding comes from the BOM or the declaration."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from bot.services.commerceml import (
    CommerceMLError,
    detect_encoding,
    detect_kind,
    read_catalog,
    read_offers,
    read_order_updates,
)
from bot.services.commerceml.safe import HEAD_BYTES, iterparse, to_bool, to_date, to_datetime
from tests.fakes.commerceml_files import write_offers_file

FIXTURES = Path(__file__).parents[2] / "fakes" / "commerceml"
LIMIT = 1 << 20
ROOT = '<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-03-01T00:00:00">'
OFFERS = (
    ROOT + "<ПакетПредложений><Предложения><Предложение><Ид>p1</Ид>"
    "<Наименование>{name}</Наименование></Предложение></Предложения></ПакетПредложений>"
    "</КоммерческаяИнформация>"
)

Reader = Callable[[Path], object]
READERS: dict[str, Reader] = {
    "catalog": lambda path: read_catalog(path, max_bytes=LIMIT),
    "offers": lambda path: read_offers(path, max_bytes=LIMIT),
    "orders": lambda path: list(read_order_updates(path, max_bytes=LIMIT)),
    "kind": detect_kind,
}

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE КоммерческаяИнформация [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
    + OFFERS.format(name="&lol9;")
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE КоммерческаяИнформация [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    + OFFERS.format(name="&secret;")
)
EXTERNAL_DTD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!-- 1C -->\n'
    '<!DOCTYPE КоммерческаяИнформация SYSTEM "http://example.com/commerceml.dtd">\n'
    + OFFERS.format(name="x")
)


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize(
    "content",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
    ids=["billion laughs", "external entity", "external DTD after a comment"],
)
def test_a_dtd_is_refused_by_every_reader(tmp_path: Path, content: str, reader: Reader) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommerceMLError, match=r"DTD \(<!DOCTYPE …>\) is not allowed"):
        reader(path)


def test_an_entity_without_a_dtd_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(OFFERS.format(name="&lol;"), encoding="utf-8")
    with pytest.raises(CommerceMLError, match="malformed XML"):
        read_offers(path, max_bytes=LIMIT)


def test_character_references_and_the_five_entities_are_text(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(OFFERS.format(name="&lt;A&amp;B&gt; &quot;&apos; &#8470;&#x416;"), "utf-8")
    _, offers = read_offers(path, max_bytes=LIMIT)
    assert [offer.name for offer in offers] == ["<A&B> \"' №Ж"]


@pytest.mark.parametrize("reader", list(READERS.values())[:3], ids=list(READERS)[:3])
def test_a_truncated_file_is_refused(tmp_path: Path, reader: Reader) -> None:
    data = (FIXTURES / "offers.xml").read_bytes()
    path = tmp_path / "offers.xml"
    path.write_bytes(data[: len(data) // 3])

    def read_to_the_end() -> None:
        result = reader(path)
        if isinstance(result, tuple):
            list(result[1])

    with pytest.raises(CommerceMLError, match="malformed XML"):
        read_to_the_end()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (ROOT + "<ПакетПредложений></Предложения></КоммерческаяИнформация>", "malformed XML"),
        ("Ответ 1С: ошибка\n" + ROOT + "</КоммерческаяИнформация>", "text before the root"),
        ("", "the file is empty"),
        ('<?xml version="1.0"?>\n<!-- only a comment -->', "no root element"),
        ("\x00\x01\x02 binary", "text before the root"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(content, encoding="utf-8")

    def read_all() -> None:
        list(read_offers(path, max_bytes=LIMIT)[1])

    with pytest.raises(CommerceMLError, match=reason):
        read_all()


def test_a_file_over_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_bytes((FIXTURES / "offers.xml").read_bytes())
    size = path.stat().st_size

    with pytest.raises(CommerceMLError, match=f"the file is {size} bytes, over the limit"):
        read_offers(path, max_bytes=size - 1)
    _, offers = read_offers(path, max_bytes=size)
    assert len(list(offers)) == 3


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    write_offers_file(path, 2_000, 3)
    limit = path.stat().st_size + 10
    events = iterparse(path, max_bytes=limit, tags=("Предложение",))
    next(events)  # the checks have passed and the parse is under way
    with path.open("ab") as grow:
        grow.write(b"<!-- appended -->" * 20_000)

    with pytest.raises(CommerceMLError, match=f"grew past the limit of {limit} bytes"):
        list(events)


def test_a_prolog_longer_than_the_head_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_text("<!--" + "x" * HEAD_BYTES + "-->" + OFFERS.format(name="n"), encoding="utf-8")
    with pytest.raises(CommerceMLError, match="prolog is longer than 64 KiB"):
        read_offers(path, max_bytes=LIMIT)


@pytest.mark.parametrize(
    ("head", "encoding"),
    [
        (b'<?xml version="1.0" encoding="windows-1251"?>\n<a/>', "cp1251"),
        (b"<?xml version='1.0' encoding='WINDOWS-1251' standalone='yes'?><a/>", "cp1251"),
        (b'<?xml version="1.0" encoding="UTF-8"?><a/>', "utf-8"),
        (codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="windows-1251"?><a/>', "utf-8"),
        (codecs.BOM_UTF16_LE + "<a/>".encode("utf-16-le"), "utf-16"),
        (b'<?xml version="1.0"?><a/>', "utf-8"),
        (b"<a/>", "utf-8"),
    ],
)
def test_the_encoding_comes_from_the_bom_or_the_declaration(head: bytes, encoding: str) -> None:
    assert detect_encoding(head) == encoding


def test_an_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(
        '<?xml version="1.0" encoding="x-1c-oem"?>' + OFFERS.format(name="n"), encoding="utf-8"
    )
    with pytest.raises(CommerceMLError, match="unknown encoding 'x-1c-oem'"):
        read_offers(path, max_bytes=LIMIT)


def test_windows_1251_without_a_declaration_is_refused_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_bytes(OFFERS.format(name="Гофрокороб").encode("cp1251"))
    with pytest.raises(CommerceMLError, match=r"not utf-8 at byte \d+ \(is the encoding declared"):
        read_offers(path, max_bytes=LIMIT)


@pytest.mark.parametrize("encoding", ["utf-16", "cp1251", "utf-8"])
def test_the_same_file_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    label = {"utf-16": "UTF-16", "cp1251": "windows-1251", "utf-8": "UTF-8"}[encoding]
    path = tmp_path / "offers.xml"
    text = f'<?xml version="1.0" encoding="{label}"?>\r\n' + OFFERS.format(name="Плёнка «А»")
    path.write_bytes(text.encode(encoding))

    _, offers = read_offers(path, max_bytes=LIMIT)

    assert [offer.name for offer in offers] == ["Плёнка «А»"]


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("2017-08-04T12:22:01", datetime(2017, 8, 4, 12, 22, 1)),  # noqa: DTZ001
        ("2007-10-30 15:19:27", datetime(2007, 10, 30, 15, 19, 27)),  # noqa: DTZ001
        ("2015-08-12", datetime(2015, 8, 12)),  # noqa: DTZ001
        ("04.08.2017 9:05:00", datetime(2017, 8, 4, 9, 5)),  # noqa: DTZ001
        ("04.08.2017", datetime(2017, 8, 4)),  # noqa: DTZ001
        ("T", None),
        ("", None),
        (None, None),
    ],
)
def test_1c_dates(value: str | None, moment: datetime | None) -> None:
    assert to_datetime(value) == moment
    assert to_date(value) == (moment.date() if moment else None)


def test_1c_booleans() -> None:
    assert [to_bool(v) for v in ["true", "TRUE", " true ", "1", "истина", "Да"]] == [True] * 6
    assert [to_bool(v) for v in ["false", "0", "", "нет", None]] == [False] * 5
    assert to_date("2026-03-05") == date(2026, 3, 5)
    assert Decimal("12.500") == Decimal("12.5")


def test_nesting_deeper_than_libxml2_allows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "offers.xml"
    path.write_text(ROOT + "<a>" * 300 + "</a>" * 300 + "</КоммерческаяИнформация>", "utf-8")
    with pytest.raises(CommerceMLError, match="Excessive depth"):
        list(iterparse(path, max_bytes=LIMIT, tags=None))
