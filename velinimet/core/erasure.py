"""What erasing someone's personal data needs from the kernel: finding their values written any usual way, in
text, JSON, job rows and the exports folder, and removing them.

``Mentions`` knows a person's names, phone numbers, e-mail addresses and identifiers and matches them as
people write them: a name in any case, with or without Turkish letters, its words split by any punctuation
("ZÜMRÜT;ZUMRUTOGLU" in a CSV line); a phone number with or without its country or trunk prefix and with
any separators ("+90 (532) 777 11 22", "05327771122"); an identifier with spaces ("TR30 0006 …").
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from .models import ERASED  # re-exported: the erasing code imports it from here
from .text import fold

log = logging.getLogger(__name__)

_SEP = r"[\s()./\-]*"  # what people put between the digits of a number
_COMBINING = "[\u0300-\u036f]*"  # a name typed with decomposed letters ("u" + U+0308)
CHUNK = 1 << 20


@lru_cache(maxsize=1)
def _letters() -> dict[str, str]:
    """Each folded letter → a regex class of every Latin letter that folds to it ("u" → uUüÜúÚûÛ…)."""
    classes: dict[str, set[str]] = {}
    for cp in [*range(0x20, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        key = fold(ch)
        if len(key) == 1 and key.isalnum():
            classes.setdefault(key, set()).update({ch, ch.lower(), ch.upper()} - {""})
    classes.setdefault("i", set()).update("İı")
    return {k: "[" + "".join(sorted(re.escape(c) for c in v if len(c) == 1)) + "]" for k, v in classes.items()}


def _name_pattern(name: str) -> str:
    letters = _letters()
    words = [
        "".join((letters.get(ch) or f"[{re.escape(ch)}{re.escape(ch.upper())}]") + _COMBINING for ch in word)
        for word in fold(name).split()
    ]
    return r"(?<!\w)" + r"[\W_]+".join(words) + r"(?!\w)"


def _number_pattern(value: str) -> str:
    chars = [re.escape(ch) for ch in value if ch.isalnum()]
    return r"(?<![0-9A-Za-z])" + _SEP.join(chars) + r"(?![0-9A-Za-z])"


def _phone_pattern(e164: str) -> str:
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return _number_pattern(e164)
    prefix = rf"(?:(?:\+|00){_SEP}{number.country_code}{_SEP}|0{_SEP})?"
    return r"(?<!\d)" + prefix + _SEP.join(str(number.national_number)) + r"(?!\d)"


def phone_forms(e164: str) -> list[str]:
    """The ways the app itself writes ``e164`` (stored, national and international display, digits)."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return [e164]
    national = str(number.national_number)
    formats = (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return [e164, national, *(phonenumbers.format_number(number, f) for f in formats)]


class Mentions:
    """Someone's values and how to find and remove them, written any usual way (see the module docstring).

    ``names`` are full names: a one-word name would match too much, so it is ignored. ``texts`` are other
    values matched as written (any case): tags, custom field values, streets.
    """

    def __init__(
        self,
        *,
        names: Iterable[str] = (),
        phones: Iterable[str] = (),
        emails: Iterable[str] = (),
        identifiers: Iterable[str] = (),
        texts: Iterable[str] = (),
    ) -> None:
        self.names = sorted({n for n in names if len(fold(n).split()) >= 2 and len(fold(n)) >= 6})
        self.phones = sorted({p for p in phones if p})
        self.emails = sorted({e for e in emails if e})
        self.identifiers = sorted({i for i in identifiers if len(i) >= 5})
        self.texts = sorted({t for t in texts if len(t.strip()) >= 3})
        # E-mails first: at the same place the first alternative that matches wins, and a name pattern
        # would take "gulsen.caglayan" out of "gulsen.caglayan@firma.com.tr" and leave the domain behind.
        patterns = [
            *(re.escape(e) for e in self.emails),  # also inside a mistyped one ("ali@x.com.trx@")
            *(_name_pattern(n) for n in self.names),
            *(_phone_pattern(p) for p in self.phones),
            *(_number_pattern(i) for i in self.identifiers),
            *(r"(?<!\w)" + re.escape(t.strip()) + r"(?!\w)" for t in self.texts),
        ]
        self.regex = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None

    def __bool__(self) -> bool:
        return self.regex is not None

    def like_forms(self) -> list[str]:
        """Substrings for a database prefilter: each value as the app writes it, also JSON-escaped (SQLite
        stores JSON with \\u escapes) and in upper case (SQLite's LIKE folds ASCII letters only)."""
        forms: set[str] = set(self.emails) | set(self.identifiers) | set(self.texts)
        for name in self.names:
            forms |= {name, name.translate(str.maketrans("iı", "İI")).upper(), fold(name)}
        for phone in self.phones:
            forms |= set(phone_forms(phone))
        forms |= {json.dumps(f)[1:-1] for f in forms}
        return sorted(f for f in forms if f)

    def search(self, text: str) -> bool:
        return bool(self.regex and self.regex.search(text))

    def sub(self, text: str) -> str:
        return self.regex.sub(ERASED, text) if self.regex else text

    def scrub(self, value: Any) -> Any:
        """``value`` (JSON: dicts, lists, strings) with every mention in its strings replaced by ERASED."""
        if isinstance(value, str):
            return self.sub(value)
        if isinstance(value, list):
            return [self.scrub(v) for v in value]
        if isinstance(value, dict):
            return {k: self.scrub(v) for k, v in value.items()}
        return value

    def prefilter(self, queryset: QuerySet[Any], fields: Iterable[str], json_fields: Iterable[str] = ()) -> Any:
        """``queryset`` narrowed to rows where a field holds one of ``like_forms()``: one scan, no index
        (a million audit entries: 11.5 s on SQLite, one LIKE per form and field; joining the fields
        first is slower, as the join is repeated in every LIKE)."""
        annotations = {f"_text_{f}": Cast(f, TextField()) for f in json_fields}
        columns = [*fields, *annotations]
        q = Q()
        for form in self.like_forms():
            for column in columns:
                q |= Q(**{f"{column}__icontains": form})
        return queryset.annotate(**annotations).filter(q) if q else queryset.none()

    def in_file(self, path: Path) -> bool:
        """Whether the text file ``path`` mentions these values; read in 1 MiB chunks, any size."""
        return any(self.search(text) for text in _chunks(path))


def _chunks(path: Path, overlap: int = 512) -> Iterator[str]:
    """The file's text in overlapping chunks (a value cut by a chunk's end is whole in the next)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    tail = ""
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            text = tail + decoder.decode(block)
            yield text
            tail = text[-overlap:]
        yield tail + decoder.decode(b"", final=True)


def export_files_mentioning(mentions: Mentions, folder: Path | None = None) -> list[Path]:
    """The files of the exports folder (audit exports, import problem lines, anything) that mention someone."""
    folder = Path(folder or settings.EXPORT_DIR)
    if not mentions or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        try:
            if path.is_file() and mentions.in_file(path):
                found.append(path)
        except OSError:
            log.exception("Could not read %s to look for an erased person's data", path)
    return found


def export_file_delete(path: Path) -> None:
    """Delete a file of the exports folder. A job whose file it was keeps its name, so its download link
    answers 410 Gone with the reason, like a file expired after its keeping time."""
    path.unlink(missing_ok=True)


def jobs_scrub(mentions: Mentions) -> int:
    """Replace the mentions in job rows (reports of imports, messages, errors); returns how many changed."""
    from .models import Job

    changed = 0
    fields = ("title", "message", "error")
    for job in mentions.prefilter(Job.objects.all(), fields, ("result", "params")).only(*fields, "result", "params"):
        for field in fields:
            setattr(job, field, mentions.sub(getattr(job, field)))
        job.result, job.params = mentions.scrub(job.result), mentions.scrub(job.params)
        job.save(update_fields=[*fields, "result", "params"])
        changed += 1
    return changed


def sqlite_forget() -> None:
    """After an erasure commits on SQLite: copy the WAL into the database and truncate it, so the pages
    that held the old values are gone from the WAL (``secure_delete`` already zeroed them in the file).
    A reader still on an older snapshot makes SQLite answer "busy"; the next checkpoint then does it."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # tests run on-commit work in their transaction
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        row = cursor.fetchone()
    if row and row[0]:
        log.warning("WAL checkpoint after an erasure was busy; the WAL is truncated at the next checkpoint")
