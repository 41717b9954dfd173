"""1C's zip uploads (issue 17): unpacked with 1C's cp866 names readable, and refused, with
nothing left behind, when a name leaves the folder, a member is a link, or the archive is a
bomb (in total or by one member's ratio, checked as declared and as the bytes come out)."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import pytest

from bot.services.commerceml import CommerceMLError, safe_unzip

MB = 1 << 20


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def _rename(path: Path, placeholder: str, raw: bytes) -> None:
    """Write a name's bytes as 1C does (cp866, no UTF-8 flag) over an ASCII placeholder of
    the same length, in the local header and in the central directory."""
    data = path.read_bytes()
    assert len(placeholder) == len(raw) and data.count(placeholder.encode()) == 2
    path.write_bytes(data.replace(placeholder.encode(), raw))


def test_an_upload_unpacks_with_1c_cp866_names(tmp_path: Path) -> None:
    archive = _zip(
        tmp_path / "upload.zip",
        [
            ("import.xml", b"<import/>"),
            ("offers.xml", b"<offers/>" * 1000),
            ("import_files/0d/0d9efc08_photo.jpg", bytes(range(256)) * 40),
            ("import_files/PPPPPPPPP.xml", b"<prices/>"),  # becomes cp866 «Цены-Опт.»
            ("Остатки.xml", b"<rests/>"),  # zipfile writes it UTF-8, with the flag
        ],
    )
    _rename(archive, "PPPPPPPPP", "Цены-Опт.".encode("cp866"))
    dest = tmp_path / "exchange"

    files = safe_unzip(archive, dest, max_total_bytes=MB, max_ratio=1000)

    root = dest.resolve()
    assert files == [
        root / "import.xml",
        root / "offers.xml",
        root / "import_files" / "0d" / "0d9efc08_photo.jpg",
        root / "import_files" / "Цены-Опт..xml",
        root / "Остатки.xml",
    ]
    assert (root / "offers.xml").read_bytes() == b"<offers/>" * 1000
    assert (root / "import_files" / "Цены-Опт..xml").read_bytes() == b"<prices/>"


@pytest.mark.parametrize(
    "name",
    [
        "../evil.xml",
        "import_files/../../evil.xml",
        "/etc/cron.d/evil",
        "C:/Windows/evil.xml",
        "..\\evil.xml",
        "import_files\\..\\..\\evil.xml",
    ],
)
def test_a_name_outside_the_folder_is_refused(tmp_path: Path, name: str) -> None:
    archive = _zip(tmp_path / "upload.zip", [("import.xml", b"<a/>"), (name, b"owned")])
    dest = tmp_path / "exchange" / "run1"

    with pytest.raises(CommerceMLError, match=r"absolute name|outside its folder"):
        safe_unzip(archive, dest, max_total_bytes=MB, max_ratio=100)

    assert not (tmp_path / "evil.xml").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [archive]


def test_a_link_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        link = zipfile.ZipInfo("import.xml")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zipped.writestr(link, "/etc/passwd")

    with pytest.raises(CommerceMLError, match=r"holds a link: import\.xml"):
        safe_unzip(archive, tmp_path / "exchange", max_total_bytes=MB, max_ratio=100)
    assert not (tmp_path / "exchange" / "import.xml").exists()


def test_a_member_compressed_beyond_the_ratio_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", [("offers.xml", bytes(20 * MB))])  # ~1000:1

    with pytest.raises(CommerceMLError, match=r"offers\.xml is compressed more than 100:1"):
        safe_unzip(archive, tmp_path / "exchange", max_total_bytes=100 * MB, max_ratio=100)
    assert not (tmp_path / "exchange" / "offers.xml").exists()


def test_an_archive_unpacking_past_the_total_is_refused(tmp_path: Path) -> None:
    members = [(f"part{n}.xml", bytes(range(256)) * 2400) for n in range(3)]  # 614 KB each
    archive = _zip(tmp_path / "upload.zip", members)

    with pytest.raises(CommerceMLError, match=f"unpacks to more than {MB} bytes"):
        safe_unzip(archive, tmp_path / "exchange", max_total_bytes=MB, max_ratio=1000)
    assert not (tmp_path / "exchange").exists() or not any((tmp_path / "exchange").iterdir())


def _understate(path: Path, member: int, size: int) -> None:
    """Rewrite the uncompressed size a member's headers declare, as a crafted bomb does."""
    data = bytearray(path.read_bytes())
    local = central = -1
    for _ in range(member + 1):
        local = data.find(b"PK\x03\x04", local + 1)
        central = data.find(b"PK\x01\x02", central + 1)
    struct.pack_into("<I", data, local + 22, size)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def test_a_header_that_understates_the_size_stops_the_unpacking(tmp_path: Path) -> None:
    """The declared sizes look harmless; the bytes that come out do not match them, the
    member is refused, and the member unpacked before it is removed again."""
    archive = _zip(
        tmp_path / "bomb.zip",
        [("import.xml", b"<import/>"), ("offers.xml", bytes(range(256)) * 8000)],
    )
    _understate(archive, member=1, size=1000)
    dest = tmp_path / "exchange"

    with pytest.raises(CommerceMLError, match="broken zip archive"):
        safe_unzip(archive, dest, max_total_bytes=MB, max_ratio=100)
    assert [p for p in dest.rglob("*") if p.is_file()] == []


def test_not_a_zip_and_too_many_members_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "upload.zip"
    text.write_text("<КоммерческаяИнформация/>", encoding="utf-8")
    with pytest.raises(CommerceMLError, match="not a zip archive"):
        safe_unzip(text, tmp_path / "a", max_total_bytes=MB, max_ratio=100)

    many = _zip(tmp_path / "many.zip", [(f"f{n}.txt", b"x") for n in range(11)])
    with pytest.raises(CommerceMLError, match="more than 10 entries"):
        safe_unzip(many, tmp_path / "b", max_total_bytes=MB, max_ratio=100, max_members=10)


def test_a_name_twice_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("offers.xml", b"<first/>")
        zipped.writestr("./offers.xml", b"<second/>")  # the same file once unpacked

    with pytest.raises(CommerceMLError, match="same name twice"):
        safe_unzip(archive, tmp_path / "exchange", max_total_bytes=MB, max_ratio=100)
