"""Reading an import file, streamed: its encoding, separator, records (with the line each starts on) and the
header row's mapping to fields, in bounded memory and with caps that refuse a file early, naming the line.

Runs in the worker (the web request only stores the upload): a file of 1,000,000 lines is read record by
record, never whole. The caps come from settings (``IMPORT_MAX_LINES``, ``IMPORT_MAX_COLUMNS``,
``IMPORT_MAX_CELL_CHARS``, ``IMPORT_MAX_LINE_CHARS``); each names the line where the file went past it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from velinimet.core.exceptions import DomainError
from velinimet.core.text import fold
from velinimet.customers.services.import_columns import COLUMNS, COMPANY_ONLY, PERSON_ONLY, custom_columns

Opener = Callable[[], BinaryIO]  # opens the file again from its start: it is read in several passes
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what ends a line for csv (and for Excel and editors)
EXCEL = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # .xlsx (a zip) and .xls


class ImportFileError(DomainError):
    """The file as a whole cannot be read (not CSV, no name column, empty, past a cap)."""

    code = "import_file"


@dataclass
class Header:
    headers: list[str]
    mapping: dict[int, str]  # column index -> field
    ignored: list[str]  # headers nobody understood


@dataclass
class Table(Header):
    rows: list[list[str]]
    line_numbers: list[int]  # the file's line (as an editor or Excel counts) where each row starts


def check_head(head: bytes) -> None:
    """The cheap facts the web request checks on an upload's first bytes before storing it."""
    if not head:
        raise ImportFileError(_("The file is empty."))
    utf16 = head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    if head.startswith(EXCEL):
        raise ImportFileError(_("This is an Excel workbook. Save it as “CSV UTF-8” and upload that file."))
    # a vCard in UTF-8 or, as address books also save it, in UTF-16 (with or without its byte order mark)
    encoding = "utf-16" if utf16 else _utf16_without_bom(head) or "utf-8-sig"
    start = head.decode(encoding, errors="ignore").lstrip()
    if start[:11].upper() == "BEGIN:VCARD":
        raise ImportFileError(
            _("This is a vCard (.vcf) file; vCard import is not supported yet. Export the contacts as CSV.")
        )
    if utf16:
        return  # Unicode text as Excel saves it
    control = sum(1 for byte in head if byte < 9 or 13 < byte < 32)  # text has tabs and line breaks only
    if control > len(head) * 0.05 and not _utf16_without_bom(head):
        raise ImportFileError(
            _("This is not a text file: it holds binary data. Save it as “CSV UTF-8” and upload that file.")
        )


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when ``head`` reads as UTF-16 text with no byte order mark: mostly Latin
    text, so most high (or low) bytes of its code units are zero and the others are not."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    odd_zero = sum(1 for i in range(1, pairs * 2, 2) if head[i] == 0)
    even_zero = sum(1 for i in range(0, pairs * 2, 2) if head[i] == 0)
    if odd_zero >= pairs * 0.3 and even_zero == 0:
        return "utf-16-le"
    if even_zero >= pairs * 0.3 and odd_zero == 0:
        return "utf-16-be"
    return None


def _encoding(open_: Opener) -> str:
    """UTF-16 by its byte order mark (Excel's "Unicode Text"), else UTF-8 if every byte decodes, else
    Windows-1254 (Excel on Turkish or Azerbaijani Windows). Cost: one pass over the bytes, 1 MB at a time."""
    with open_() as fh:
        head = fh.read(4096)
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"  # the codec reads the byte order from the BOM
        check_head(head)
        if utf16 := _utf16_without_bom(head):
            return utf16
        decoder = codecs.getincrementaldecoder("utf-8")()
        fh.seek(0)
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1254"
    return "utf-8-sig"


def _physical_lines(open_: Opener, encoding: str) -> Iterator[str]:
    """The file's lines with their line breaks, each at most ``IMPORT_MAX_LINE_CHARS`` long, at most
    ``IMPORT_MAX_LINES`` of them."""
    max_lines, max_chars = settings.IMPORT_MAX_LINES, settings.IMPORT_MAX_LINE_CHARS
    with open_() as raw, io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="") as text:
        number = 0
        while line := text.readline(max_chars + 1):
            number += 1  # newline="": a line ends at \r\n, \r or \n, as csv and Excel see it
            if len(line) > max_chars:
                message = _("Line %(line)s is longer than %(limit)s characters; split it or check the file.")
                raise ImportFileError(message % {"line": number, "limit": max_chars})
            if "\0" in line:  # PostgreSQL cannot store it, and no name or number holds one
                message = _("Line %(line)s holds a NUL character (binary data); check the file.")
                raise ImportFileError(message % {"line": number})
            if number > max_lines:
                message = _("The file has more than %(limit)s lines; split it into smaller files.")
                raise ImportFileError(message % {"limit": max_lines})
            yield line


def _delimiter(lines: Iterator[str]) -> tuple[str, list[str]]:
    """The separator the header line uses most (column names rarely hold one, while data cells often do:
    "Moda Cad. 5, Kadıköy"), and the lines read to find it, to be read again."""
    read: list[str] = []
    header = ""
    for line in lines:
        read.append(line)
        if line.strip():
            header = line.lstrip().splitlines()[0]
            break
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return (best if counts[best] else ","), read


class _CellLimit:
    """csv's limit on a cell's length (131,072 characters) is process-wide, not per reader: imports raise
    it while any of them reads a file and put it back when the last one is done."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.readers = 0
        self.before = csv.field_size_limit()

    @contextlib.contextmanager
    def at_least(self, size: int) -> Iterator[int]:
        """Cells of ``size`` characters are read while this runs; yields the limit in force."""
        with self.lock:
            if not self.readers:
                self.before = csv.field_size_limit()
            self.readers += 1
            limit = max(csv.field_size_limit(), size)
            csv.field_size_limit(limit)
        try:
            yield limit
        finally:
            with self.lock:
                self.readers -= 1
                if not self.readers:
                    csv.field_size_limit(self.before)


_cell_limit = _CellLimit()


def records(open_: Opener) -> Iterator[tuple[int, list[str]]]:
    """The file's records that are not blank, each with the line it starts on: blank lines are dropped but
    counted, and a quoted cell may span lines, so the report names lines as an editor or Excel shows them.
    Memory: one record at a time (its text is kept to check its quotes; csv's cell limit bounds it)."""
    lines = _physical_lines(open_, _encoding(open_))
    delimiter, first = _delimiter(lines)
    record: list[str] = []  # the text of the record being read

    def feed() -> Iterator[str]:
        for line in _chain(first, lines):
            record.append(line)
            yield line

    max_columns, max_cell = settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELL_CHARS
    reader = csv.reader(feed(), delimiter=delimiter)
    end = 0  # the last line read
    held: tuple[int, list[str], str] | None = None  # the last record read: checked once we know if it is the last
    with _cell_limit.at_least(max_cell + 1):
        while True:
            try:
                row = next(reader, None)
            except csv.Error as exc:  # a cell beyond csv's limit; csv's own message is English and says no more
                raise _cell_too_long(end + 1, max_cell) from exc
            if row is None:
                break
            start, text = end + 1, "".join(record)
            record.clear()
            end = reader.line_num
            if held is not None and held[1]:
                if _swallows_lines(held[1], held[2], delimiter):
                    raise _swallowed(held[0], held[0] + len(LINE_BREAK.findall(held[2])) - 1)
                yield held[0], held[1]
            if len(row) > max_columns:
                message = _("Line %(line)s has %(count)s columns; a file may have at most %(limit)s.")
                raise ImportFileError(message % {"line": start, "count": len(row), "limit": max_columns})
            if any(len(cell) > max_cell for cell in row):
                raise _cell_too_long(start, max_cell)
            held = (start, row if any(cell.strip() for cell in row) else [], text)
    if held is None:
        return
    start, row, text = held
    # csv reads a quote that is never closed as a cell running to the end of the file, silently.
    opened = _open_quote(text, delimiter)
    if opened is not None:
        message = _(
            'The quote mark (") that opens a cell on line %(line)s is never closed, so the rest of the file '
            "would be read as one cell. Close or remove it and upload the file again."
        )
        raise ImportFileError(message % {"line": start + len(LINE_BREAK.findall(text, 0, opened))})
    if row and _swallows_lines(row, text, delimiter):  # the file's last record
        raise _swallowed(start, end)
    if row:
        yield start, row


def _cell_too_long(line: int, limit: int) -> ImportFileError:
    message = _(
        "The file cannot be read from line %(line)s on: a cell there is longer than %(limit)s characters "
        "(is a quote left open?)."
    )
    return ImportFileError(message % {"line": line, "limit": limit})


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _swallowed(line: int, end: int) -> ImportFileError:
    message = _(
        'The quote mark (") that opens a cell on line %(line)s closes only on line %(end)s, so the lines '
        "between would be read as part of that cell. Check the quotes and upload the file again."
    )
    return ImportFileError(message % {"line": line, "end": end})


def _swallows_lines(row: list[str], record: str, delimiter: str) -> bool:
    """Whether a cell of ``row`` spans lines because a quote was opened by mistake and closed by a later
    line's quoted cell (the text after that closing quote is then glued on: csv reads it loosely). A cell
    that spans lines the way csv writes it, like an address on two lines, passes csv's strict reading."""
    if not any("\n" in cell or "\r" in cell for cell in row):
        return False
    try:
        list(csv.reader(io.StringIO(record, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        return True
    return False


def _open_quote(text: str, delimiter: str) -> int | None:
    """Where a quoted cell that is never closed opens in ``text`` (the file's last record: a quote left open
    takes the reader to the end of the file), else None. csv's rules: a quote opens a cell only as its first
    character, and "" inside a quoted cell is one quote mark. Cost: one find per quote mark."""
    cell_end = re.compile(f"[{re.escape(delimiter)}\r\n]")
    pos = 0
    while pos < len(text):
        if text[pos] == '"':
            opened = pos
            while True:
                close = text.find('"', pos + 1)
                if close == -1:
                    return opened
                pos = close + 1
                if not text.startswith('"', pos):
                    break
        found = cell_end.search(text, pos)  # the rest of the cell, after its closing quote or unquoted
        if found is None:
            return None
        pos = found.end()
    return None


def header_for(row: list[str], kind: str) -> Header:
    """Map the header row to fields; a file without a name column is refused."""
    headers = [h.strip() for h in row]
    allowed = set(COLUMNS) - (COMPANY_ONLY if kind == "person" else PERSON_ONLY)
    aliases = {fold(alias): field for field, names in COLUMNS.items() if field in allowed for alias in names}
    aliases.update({fold(field): field for field in allowed})  # the field keys themselves (first_name…)
    for column, custom in custom_columns(kind).items():  # custom fields by key or label; ours come first
        aliases.setdefault(column, custom)
    mapping: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        field = aliases.get(" ".join(fold(header).split()))
        if field == "phone" and "phone" in mapping.values():
            field = "work_phone"  # a second phone column
        if field and field not in mapping.values():
            mapping[index] = field
        elif header:
            ignored.append(header)
    needed = {"first_name", "full_name"} if kind == "person" else {"name"}
    if not needed & set(mapping.values()):
        example = "Ad; Soyad; Telefon; E-posta; İl" if kind == "person" else "Firma adı; VKN; Telefon; İl"
        raise ImportFileError(
            _("The first line must name the columns, including the name (for example: %(example)s).")
            % {"example": example}
        )
    return Header(headers=headers, mapping=mapping, ignored=ignored)


def scan(open_: Opener, kind: str, *, progress: Callable[[int], None] | None = None) -> tuple[Header, int]:
    """Read the whole file once, streamed: its header and how many data lines it has. Every file-wide
    problem (encoding aside, which is never one) is found here, before any line is imported. ``progress``
    is told the count so far every 10,000 lines (the job's heartbeat while a long file is read)."""
    found = records(open_)
    first = next(found, None)
    if first is None:
        raise ImportFileError(_("The file is empty."))
    header = header_for(first[1], kind)
    count = 0
    for _record in found:
        count += 1
        if progress is not None and not count % 10_000:
            progress(count)
    if not count:
        raise ImportFileError(_("The file has column names but no data lines."))
    return header, count


def data_records(open_: Opener) -> Iterator[tuple[int, list[str]]]:
    """The records after the header row (the file was scanned first, so they are known to be readable)."""
    found = records(open_)
    next(found, None)
    yield from found


def read_table(data: bytes, kind: str) -> Table:
    """Parse ``data`` whole (CSV with , ; tab or | between cells) and map its header row to fields."""

    def open_() -> BinaryIO:
        return io.BytesIO(data)

    header, _count = scan(open_, kind)
    rows = list(data_records(open_))
    return Table(
        headers=header.headers,
        mapping=header.mapping,
        ignored=header.ignored,
        rows=[row for _line, row in rows],
        line_numbers=[line for line, _row in rows],
    )
