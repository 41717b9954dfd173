"""Reading what 1C uploads without trusting it: a streaming XML parse and a careful unzip.

`iterparse` streams a file through lxml (libxml2) with entity resolution, network access and
DTD loading off, after refusing outright any file whose prolog holds a `<!DOCTYPE`: entity
declarations and external references can only live in a DTD, so no entity expansion bomb
and no external entity reaches the parser. The size is capped before and while reading, the
encoding comes from the BOM or the XML declaration (1C writes windows-1251 or UTF-8,
sometimes with a BOM), and the callers `release` each record once read, which keeps memory
flat in the file size. `safe_unzip` unpacks 1C's zip uploads, refusing path traversal,
absolute names, links and bombs (total size and per-member ratio, counted as it inflates).

Also here: the small text helpers every CommerceML reader needs (local names, numbers with
a comma or a dot, 1C's booleans and dates)."""

from __future__ import annotations

import codecs
import re
import stat
import zipfile
import zlib
from collections.abc import Generator, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from lxml import etree

from bot.services.commerceml.model import CommerceMLError

ROOT = "КоммерческаяИнформация"
HEAD_BYTES = 64 * 1024
_CHUNK = 256 * 1024
_UTF8_FLAG = 0x800

# lxml ships no type stubs here: elements are lxml.etree._Element.
Element = Any

_DECLARATION = re.compile(rb"<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._:-]*)[\"']")
_NAME = re.compile(r"[^\s/>]+")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?")


def detect_encoding(head: bytes) -> str:
    """The Python codec of a file from its first bytes: the BOM, else the XML declaration,
    else UTF-8 (the XML default)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARATION.match(head)
    if match is None:
        return "utf-8"
    label = match.group(1).decode("ascii")
    try:
        return codecs.lookup(label).name
    except LookupError:
        raise CommerceMLError(f"unknown encoding {label!r} in the XML declaration") from None


def _root_name(head: bytes, encoding: str, *, whole: bool) -> str:
    """The root element's local name, after checking that the prolog holds only the XML
    declaration, comments and processing instructions: no DOCTYPE."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
        text = decoder.decode(head, final=whole).lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise CommerceMLError(
            f"malformed XML: not {encoding} at byte {exc.start} (is the encoding declared?)"
        ) from None
    if not text.strip():
        raise CommerceMLError("the file is empty")
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            break
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                break
            pos = end + 3
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                break
            pos = end + 2
        elif text.startswith("<!", pos):
            raise CommerceMLError(
                "a DTD (<!DOCTYPE …>) is not allowed: no entities or external references"
            )
        elif text.startswith("<", pos) and (match := _NAME.match(text, pos + 1)):
            return match.group(0).rpartition(":")[2]
        else:
            raise CommerceMLError("malformed XML: text before the root element")
    if whole:
        raise CommerceMLError("malformed XML: no root element")
    raise CommerceMLError(f"the XML prolog is longer than {HEAD_BYTES // 1024} KiB")


def _open(path: Path, max_bytes: int | None) -> BinaryIO:
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise CommerceMLError(f"the file is {size} bytes, over the limit of {max_bytes}")
        return path.open("rb")
    except OSError as exc:
        raise CommerceMLError(f"cannot read {path.name}: {exc.strerror or exc}") from exc


def _check_head(raw: BinaryIO, root: str | None) -> tuple[bytes, str]:
    head = raw.read(HEAD_BYTES)
    encoding = detect_encoding(head)
    name = _root_name(head, encoding, whole=len(head) < HEAD_BYTES)
    if root is not None and name != root:
        raise CommerceMLError(f"not CommerceML: the root element is <{name}>, not <{root}>")
    return head, encoding


class _CappedReader:
    """The file as lxml reads it: the head already read, then the rest, refused past the cap."""

    def __init__(self, raw: BinaryIO, head: bytes, limit: int | None) -> None:
        self._raw, self._head, self._limit, self._count = raw, head, limit, len(head)

    def read(self, size: int = -1) -> bytes:
        if self._head:
            chunk, self._head = self._head, b""
            return chunk
        chunk = self._raw.read(size if size > 0 else _CHUNK)
        self._count += len(chunk)
        if self._limit is not None and self._count > self._limit:
            raise CommerceMLError(f"the file grew past the limit of {self._limit} bytes")
        return chunk


def iterparse(
    path: Path,
    *,
    max_bytes: int | None,
    tags: Sequence[str] | None,
    events: tuple[str, ...] = ("end",),
    root: str | None = ROOT,
) -> Generator[tuple[str, Element], None, None]:
    """Stream (event, element) for the elements whose local name is in `tags` (all when
    None), in any namespace or none. The checks that need no parse (size, encoding, DTD, the
    root's name) run now, before the first event; a malformed body raises CommerceMLError
    when the parse reaches it, so apply what a file carries only once it is read to the end.
    Call `release` on each record element once read."""
    with _open(path, max_bytes) as raw:
        _check_head(raw, root)
    return _events(path, max_bytes, tags, events, root)


def _events(
    path: Path,
    max_bytes: int | None,
    tags: Sequence[str] | None,
    events: tuple[str, ...],
    root: str | None,
) -> Generator[tuple[str, Element], None, None]:
    with _open(path, max_bytes) as raw:
        head, encoding = _check_head(raw, root)  # again: the file is the one now open
        try:
            yield from etree.iterparse(
                _CappedReader(raw, head, max_bytes),
                events=events,
                tag=None if tags is None else [f"{{*}}{tag}" for tag in tags],
                encoding=encoding,
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,  # libxml2's limits stay on: depth 256, text nodes 10 MB
                remove_comments=True,
                remove_pis=True,
            )
        except etree.XMLSyntaxError as exc:
            raise CommerceMLError(f"malformed XML: {exc}") from exc
        except LookupError as exc:
            raise CommerceMLError(f"unsupported encoding {encoding!r}") from exc


def release(element: Element) -> None:
    """Free a record once read: its content and the records before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


class LocalNames(dict[str, str]):
    """tag → local name, remembered: a file uses a few dozen tags, read a million times."""

    def __missing__(self, tag: str) -> str:
        name = tag.rpartition("}")[2]
        if len(self) < 1024:
            self[tag] = name
        return name


def text(element: Element | None) -> str | None:
    """An element's own text, stripped; None when absent or blank."""
    if element is None or element.text is None:
        return None
    value = str(element.text).strip()
    return value or None


def child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    for item in element:
        if local_name(item.tag) == name:
            return item
    return None


def children(element: Element | None, name: str) -> Iterator[Element]:
    if element is not None:
        for item in element:
            if local_name(item.tag) == name:
                yield item


def child_text(element: Element | None, name: str) -> str | None:
    return text(child(element, name))


def attribute(element: Element, name: str) -> str | None:
    value = element.get(name)
    if value is None:
        return None
    return str(value).strip() or None


def to_decimal(value: str, what: str) -> Decimal:
    """1C's numbers: "1234.5", "1234,5", "1 234,50"; never NaN or infinite, nor so large or
    so fine that arithmetic on it would run away (1e999999999)."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        try:
            number = Decimal(_SPACES.sub("", value).replace(",", "."))
        except InvalidOperation:
            raise CommerceMLError(f"{what}: {value!r} is not a number") from None
    if not number.is_finite():
        raise CommerceMLError(f"{what}: {value!r} is not a number")
    if not -12 <= number.adjusted() <= 18:
        raise CommerceMLError(f"{what}: {value!r} is out of range")
    return number


def to_bool(value: str | None) -> bool:
    """1C's booleans: "true"/"false", and the Russian "истина"/"да" some handlers write."""
    return value is not None and value.strip().casefold() in {"true", "1", "истина", "да"}


def to_datetime(value: str | None) -> datetime | None:
    """An ISO date or date-time ("2017-08-04T12:22:01", "2007-10-30 15:19:27",
    "2015-08-12") or a Russian one ("04.08.2017 12:22:01"), naive as 1C writes it; None
    when absent or not a date (1C writes "T" for an empty date)."""
    if not value or not (value := value.strip()):
        return None
    if match := _RU_DATE.fullmatch(value):
        day, month, year, clock = match.groups()
        value = f"{year}-{int(month):02d}-{int(day):02d}"
        if clock:
            hour, _, rest = clock.partition(":")
            value += f"T{int(hour):02d}:{rest}"
    try:
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def to_date(value: str | None) -> date | None:
    moment = to_datetime(value)
    return None if moment is None else moment.date()


def _member_name(info: zipfile.ZipInfo) -> str:
    """1C's zip writer stores Cyrillic names in cp866 without the UTF-8 flag; zipfile then
    reads them as cp437. Recover the bytes and decode them as UTF-8 if they are, else cp866."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    raw = info.filename.encode("cp437")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp866")


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = _member_name(info).replace("\\", "/")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise CommerceMLError(f"the archive holds a link: {name}")
    parts = [part for part in name.split("/") if part not in {"", "."}]
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or "\0" in name:
        raise CommerceMLError(f"the archive holds an absolute name: {name}")
    if ".." in parts or not parts:
        raise CommerceMLError(f"the archive holds a name outside its folder: {name}")
    return PurePosixPath(*parts)


def _inflate(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    total: int,
    limits: tuple[int, int],
) -> int:
    """Write one member, counting the bytes as they inflate; the new running total."""
    max_total, max_ratio = limits
    member_cap = max(info.compress_size, 1) * max_ratio
    size = 0
    with archive.open(info) as source, target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            total += len(chunk)
            if total > max_total:
                raise CommerceMLError(f"the archive unpacks to more than {max_total} bytes")
            if size > member_cap:
                raise CommerceMLError(f"{info.filename} is compressed more than {max_ratio}:1")
            out.write(chunk)
    return total


def safe_unzip(
    archive: Path,
    dest_dir: Path,
    *,
    max_total_bytes: int,
    max_ratio: int,
    max_members: int = 10_000,
) -> list[Path]:
    """Unpack a zip 1C uploaded into dest_dir and return the files, in archive order.
    Refused (CommerceMLError, no file left behind): a name outside dest_dir (absolute, `..`,
    a drive letter), a link, a name twice, more than max_members entries, more than max_total_bytes
    unpacked or a member inflating more than max_ratio times its compressed size; the sizes
    are checked as declared and again as the bytes come out."""
    try:
        zipped = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise CommerceMLError(f"not a zip archive: {exc}") from exc
    written: list[Path] = []
    with zipped:
        members = zipped.infolist()
        if len(members) > max_members:
            raise CommerceMLError(f"the archive holds more than {max_members} entries")
        plan = [(info, _member_path(info)) for info in members]
        if len({relative for _, relative in plan}) < len(plan):
            raise CommerceMLError("the archive holds the same name twice")
        if sum(info.file_size for info in members) > max_total_bytes:
            raise CommerceMLError(f"the archive unpacks to more than {max_total_bytes} bytes")
        for info in members:
            if info.file_size > max(info.compress_size, 1) * max_ratio:
                raise CommerceMLError(f"{info.filename} is compressed more than {max_ratio}:1")
        root = dest_dir.resolve()
        root.mkdir(parents=True, exist_ok=True)
        total = 0
        try:
            for info, relative in plan:
                target = root.joinpath(*relative.parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_symlink() or not target.parent.resolve().is_relative_to(root):
                    raise CommerceMLError(f"the archive writes outside its folder: {relative}")
                written.append(target)
                total = _inflate(zipped, info, target, total, (max_total_bytes, max_ratio))
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            RuntimeError,
            NotImplementedError,
        ) as exc:
            _remove(written)
            raise CommerceMLError(f"a broken zip archive: {exc}") from exc
        except BaseException:
            _remove(written)
            raise
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
