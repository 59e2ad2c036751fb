"""Import people or companies from a CSV file, with the same checks and duplicate warnings as the forms.

First a *trial run* (nothing is kept) tells, line by line, what would be created, what looks like a duplicate
(of a record already here, or of an earlier line of the same file) and what is wrong; then the real import
creates the good lines and skips duplicates unless asked to create them too. Both run as background jobs
with progress. Every line goes through ``person_create`` / ``company_create``: one set of rules.

The real import commits every ``CHUNK`` lines together with the job's progress, so a worker that dies
midway resumes after the last committed line instead of importing lines twice.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import functools
import io
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from velinimet.core.csvfile import restore_cell, safe_writer
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, level_for, restrict

from . import normalize, services
from .exceptions import DuplicateFound
from .models import Company

CHUNK = 200
ERASED = "[erased]"  # as kvkk.ERASED (kvkk imports this module)
KEEP_DAYS = 7  # an upload checked but never imported is deleted after this many days
MAX_LISTED = 1000  # problem lines listed in the job's result; the downloadable CSV has every one
KINDS = {"person": "customers.person", "company": "customers.company"}
DUPLICATE_MODES = ("skip", "create")

#: Column names people use, in Turkish, Azerbaijani and English; matched after fold() (case, İ/ı, accents).
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("Adı", "Ad", "İsim", "First name", "Given name"),
    "last_name": ("Soyadı", "Soyad", "Soyisim", "Last name", "Surname", "Family name"),
    "full_name": ("Ad Soyad", "Adı Soyadı", "İsim Soyisim", "Müşteri adı", "Müşteri", "Full name", "Name"),
    "name": ("Firma adı", "Şirket adı", "Şirkətin adı", "Ticari ünvan", "Company name", "Legal name", "Name"),
    "short_name": ("Kısa ad", "Qısa ad", "Short name"),
    "company": ("Firma", "Şirket", "Şirkət", "İşyeri", "Company", "Employer"),
    "title": ("Görev", "Pozisyon", "Vəzifə", "Title", "Job title"),
    "phone": ("Telefon", "Tel", "Cep", "Cep telefonu", "GSM", "Mobil", "Telefon nömrəsi", "Phone", "Mobile"),
    "work_phone": ("İş telefonu", "İş tel", "Sabit telefon", "İş telefonu nömrəsi", "Work phone"),
    "email": ("E-posta", "Eposta", "E-poçt", "Elektron poçt", "E-mail", "Email", "Mail"),
    "country": ("Ülke", "Ölkə", "Country"),
    "city": ("İl", "Şehir", "Şəhər", "City"),
    "district": ("İlçe", "Rayon", "District"),
    "neighbourhood": ("Mahalle", "Qəsəbə", "Neighbourhood", "Neighborhood"),
    "street": ("Adres", "Sokak", "Cadde", "Küçə", "Street", "Address"),
    "postal_code": ("Posta kodu", "Poçt indeksi", "İndeks", "Postal code", "Zip"),
    "tckn": ("TCKN", "TC", "TC no", "TC kimlik", "TC kimlik no", "Kimlik no"),
    "vkn": ("VKN", "Vergi no", "Vergi numarası", "Vergi kimlik no"),
    "voen": ("VÖEN",),
    "tax_office": ("Vergi dairesi", "Tax office"),
    "iban": ("IBAN",),
    "birth_date": ("Doğum tarihi", "Doğum tarixi", "Birth date", "Date of birth", "Birthday"),
    "tags": ("Etiketler", "Etiket", "Teqlər", "Teq", "Tags", "Tag"),
    "notes": ("Notlar", "Not", "Açıklama", "Qeyd", "Qeydlər", "Notes", "Note"),
    "source": ("Kaynak", "Mənbə", "Source"),
    "website": ("Web sitesi", "İnternet sitesi", "Sayt", "Website", "Web"),
    "industry": ("Sektör", "Sahə", "Industry"),
}
#: What each field is, for the import page's list of columns.
FIELD_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "full_name": gettext_lazy("Full name (the last word is the last name)"),
    "name": gettext_lazy("Company name"),
    "short_name": gettext_lazy("Short name"),
    "company": gettext_lazy("Company (linked; created if missing)"),
    "title": gettext_lazy("Title"),
    "phone": gettext_lazy("Phone"),
    "work_phone": gettext_lazy("Work phone"),
    "email": gettext_lazy("E-mail"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "district": gettext_lazy("District"),
    "neighbourhood": gettext_lazy("Neighbourhood"),
    "street": gettext_lazy("Street"),
    "postal_code": gettext_lazy("Postal code"),
    "tckn": gettext_lazy("TCKN"),
    "vkn": gettext_lazy("VKN"),
    "voen": gettext_lazy("VÖEN"),
    "tax_office": gettext_lazy("Tax office"),
    "iban": gettext_lazy("IBAN"),
    "birth_date": gettext_lazy("Birth date"),
    "tags": gettext_lazy("Tags"),
    "notes": gettext_lazy("Notes"),
    "source": gettext_lazy("Source"),
    "website": gettext_lazy("Website"),
    "industry": gettext_lazy("Industry"),
}
PERSON_ONLY = {"first_name", "last_name", "full_name", "company", "title", "tckn", "birth_date"}
COMPANY_ONLY = {"name", "short_name", "vkn", "voen", "tax_office", "website", "industry"}
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what ends a line for csv (and for Excel and editors)
SPLIT = re.compile(r"\s*[;,/|]\s*")  # several phones, e-mails or tags in one cell
COUNTRIES = {
    "turkiye": "TR", "turkey": "TR", "turkiye cumhuriyeti": "TR",
    "azerbaycan": "AZ", "azerbaijan": "AZ", "azerbaycan respublikasi": "AZ",
}  # fmt: skip


class ImportFileError(DomainError):
    """The file as a whole cannot be read (not CSV, no name column, empty)."""

    code = "import_file"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    mapping: dict[int, str]  # column index -> field
    ignored: list[str]  # headers nobody understood
    line_numbers: list[int]  # the file's line (as an editor or Excel counts) where each row starts


# --- reading the file -------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(_("This is an Excel workbook. Save it as “CSV UTF-8” and upload that file."))
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        # Excel's "Unicode Text" (tab-separated); the "utf-16" codec reads the byte order from the BOM.
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Turkish or Azerbaijani Windows saves CSV in Windows-1254.
        return data.decode("cp1254", errors="replace")


def _delimiter(text: str) -> str:
    """The separator the header line uses most: column names rarely hold one, while data cells often
    do ("Moda Cad. 5, Kadıköy"), which misleads guessing from the data."""
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    counts = {d: header.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


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


def _records(text: str) -> tuple[list[list[str]], list[int]]:
    """The file's records that are not blank, and the line each starts on: blank lines are dropped but
    counted, and a quoted cell may span lines, so the report names lines as an editor or Excel shows them."""
    delimiter = _delimiter(text)
    consumed = 0  # characters handed to the reader: between two records, where the next one starts

    def lines() -> Iterator[str]:
        nonlocal consumed
        for line in io.StringIO(text, newline=""):
            consumed += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    rows: list[list[str]] = []
    starts: list[int] = []
    # A cell may be as long as the file (up to the upload limit): one too long for its field is that line's
    # error, found by the service's checks, not a reason to refuse the whole file.
    limit = min(len(text) + 1, settings.MAX_IMPORT_BODY)
    end, offset = 0, 0  # the last line read, and where the next record starts
    last = (1, 0)  # line and offset where the last record read starts
    try:
        with _cell_limit.at_least(limit) as limit:
            for row in reader:
                last = (end + 1, offset)
                if any(cell.strip() for cell in row):
                    if consumed < len(text) and _swallows_lines(row, text[last[1] : consumed], delimiter):
                        raise _swallowed(end + 1, reader.line_num)
                    rows.append(row)
                    starts.append(end + 1)
                end, offset = reader.line_num, consumed
    except csv.Error as exc:  # a cell beyond the limit; csv's own message is English and says no more
        message = _(
            "The file cannot be read from line %(line)s on: a cell there is longer than %(limit)s characters "
            "(is a quote left open?)."
        )
        raise ImportFileError(message % {"line": end + 1, "limit": limit}) from exc
    # csv reads a quote that is never closed as a cell running to the end of the file, silently.
    opened = _open_quote(text, last[1], delimiter)
    if opened is not None:
        line = last[0] + len(LINE_BREAK.findall(text, last[1], opened))
        raise ImportFileError(
            _(
                'The quote mark (") that opens a cell on line %(line)s is never closed, so the rest of the file '
                "would be read as one cell. Close or remove it and upload the file again."
            )
            % {"line": line}
        )
    if rows and starts[-1] == last[0] and _swallows_lines(rows[-1], text[last[1] :], delimiter):  # the file's end
        raise _swallowed(last[0], end)
    return rows, starts


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


def _open_quote(text: str, start: int, delimiter: str) -> int | None:
    """Where a quoted cell that is never closed opens, in the record starting at ``start`` (the file's last:
    a quote left open takes the reader to the end of the file), else None. csv's rules: a quote opens a cell
    only as its first character, and "" inside a quoted cell is one quote mark. Cost: one find per quote mark."""
    cell_end = re.compile(f"[{re.escape(delimiter)}\r\n]")
    pos = start
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


def read_table(data: bytes, kind: str) -> Table:
    """Parse ``data`` (CSV with , ; tab or | between cells) and map its header row to fields."""
    text = _decode(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    rows, starts = _records(text)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    headers = [h.strip() for h in rows[0]]
    allowed = set(COLUMNS) - (COMPANY_ONLY if kind == "person" else PERSON_ONLY)
    aliases = {fold(alias): field for field, names in COLUMNS.items() if field in allowed for alias in names}
    aliases.update({fold(field): field for field in allowed})  # the field keys themselves (first_name…)
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
    if len(rows) == 1:
        raise ImportFileError(_("The file has column names but no data lines."))
    return Table(headers=headers, rows=rows[1:], mapping=mapping, ignored=ignored, line_numbers=starts[1:])


# --- one line -> service arguments ------------------------------------------------------------
def _parse_date(text: str) -> datetime.date | str:
    """31.12.1980, 31/12/1980, 31-12-1980 or 1980-12-31; anything else goes on as typed, for the service's
    validation to report next to the line's other problems."""
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text


def line_arguments(values: dict[str, str], kind: str) -> dict[str, Any]:
    """The keyword arguments of person_create / company_create for one line's cells."""
    args: dict[str, Any] = {}
    if kind == "person":
        first, last = values.get("first_name", ""), values.get("last_name", "")
        if not first and values.get("full_name"):
            names = values["full_name"].split()
            first, last = " ".join(names[:-1]) or names[0], names[-1] if len(names) > 1 else ""
        args.update(first_name=first, last_name=last)
        for field in ("title", "tckn", "company"):
            if values.get(field):
                args[field] = values[field]
        if values.get("birth_date"):
            args["birth_date"] = _parse_date(values["birth_date"])
    else:
        args["name"] = values.get("name", "")
        for field in ("short_name", "vkn", "voen", "tax_office", "website", "industry"):
            if values.get(field):
                args[field] = values[field]
    for field in ("iban", "notes", "source"):
        if values.get(field):
            args[field] = values[field]
    phone_kind = "mobile" if kind == "person" else "work"
    args["phones"] = [services.PhoneIn(n, phone_kind) for n in SPLIT.split(values.get("phone", "")) if n] + [
        services.PhoneIn(n, "work") for n in SPLIT.split(values.get("work_phone", "")) if n
    ]
    args["emails"] = [services.EmailIn(e) for e in SPLIT.split(values.get("email", "")) if e]
    parts = {f: values.get(f, "") for f in ("city", "district", "neighbourhood", "street", "postal_code")}
    if any(parts.values()):
        args["addresses"] = [
            services.AddressIn(
                kind="home" if kind == "person" else "work",
                country=_country(values, args["phones"]),
                city=parts["city"],
                district=parts["district"],
                neighbourhood=parts["neighbourhood"],
                street=parts["street"],
                postal_code=parts["postal_code"],
            )
        ]
    args["tags"] = [t for t in SPLIT.split(values.get("tags", "")) if t]
    return args


def _country(values: dict[str, str], phones: list[services.PhoneIn]) -> str:
    """The country column if there is one, else Azerbaijan for a +994 number, else Türkiye."""
    if values.get("country"):
        code = COUNTRIES.get(fold(values["country"])) or values["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            message = _("Unknown country “%(value)s”: write TR, AZ or another two-letter code.") % {
                "value": values["country"]
            }
            raise DomainError(message, errors={"country": [message]})
        return code
    first = next((k for p in phones for k in normalize.phone_lookup_keys(p.number)), "")
    return "AZ" if first.startswith("+994") else "TR"


def _file_keys(args: dict[str, Any], kind: str) -> list[tuple[str, str]]:
    """What makes two lines of one file the same customer: e-mail, phone, identifiers, name + city."""
    keys: list[tuple[str, str]] = []
    for email in args.get("emails", []):
        keys.append((_("same e-mail"), email.address.strip().lower()))
    for phone in args.get("phones", []):
        keys.extend((_("same phone"), k) for k in normalize.phone_lookup_keys(phone.number))
    for field in ("tckn", "vkn", "voen"):
        if args.get(field):
            keys.append((_("same %(label)s") % {"label": field.upper()}, re.sub(r"\D", "", args[field])))
    name = fold(f"{args.get('first_name', '')} {args.get('last_name', '')}" if kind == "person" else args["name"])
    for address in args.get("addresses", []):
        if name and address.city:
            keys.append((_("same name in the same city"), f"{name}|{fold(address.city)}"))
    if name and kind == "person" and args.get("company"):
        keys.append((_("same name at the same company"), f"{name}|{fold(args['company'])}"))
    return keys


# --- starting and running ---------------------------------------------------------------------
def import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_start(
    *, actor: Any, kind: str, data: bytes | None = None, file: str | None = None, trial: bool, duplicates: str = "skip"
) -> Job:
    """Queue an import of ``data`` (a new upload) or of the ``file`` a trial run already stored."""
    if kind not in KINDS:
        raise DomainError(_("Choose people or companies."), errors={"kind": [_("Choose people or companies.")]})
    if level_for(actor, KINDS[kind], Action.CREATE) == Level.NONE:
        raise NotAllowed(_("You may not create these records."))
    if duplicates not in DUPLICATE_MODES:
        raise DomainError(_("Choose whether to skip or create likely duplicates."))
    if data is not None:
        table = read_table(data, kind)  # a file nobody can read is refused now, not in the job
        file = f"{uuid.uuid4().hex}.csv"
        (import_dir() / file).write_bytes(data)
        total = len(table.rows)
    elif not file or not re.fullmatch(r"[0-9a-f]{32}\.csv", file) or not (import_dir() / file).is_file():
        raise DomainError(_("The uploaded file is no longer here; upload it again."))
    else:
        total = len(read_table((import_dir() / file).read_bytes(), kind).rows)
    params = {"kind": kind, "file": file, "trial": trial, "duplicates": duplicates}
    return job_start(actor=actor, kind="customers.import", title=_title_for(kind, trial, total), params=params)


def import_confirm(*, actor: Any, trial_id: Any, duplicates: str = "skip") -> Job:
    """Import for real the file a trial run checked. Only the user's own finished trial runs qualify:
    any other job id is "not found" (404), like a job the user may not see."""
    from velinimet.core.visibility import get_for_user

    trials = Job.objects.filter(
        kind="customers.import", params__trial=True, state=Job.State.SUCCEEDED, started_by=actor
    )
    trial = get_for_user(trials, actor, trial_id)
    return import_start(
        actor=actor, kind=trial.params["kind"], file=trial.params["file"], trial=False, duplicates=duplicates
    )


def _title_for(kind: str, trial: bool, n: int) -> str:
    if kind == "person" and trial:
        text = ngettext("Trial import of %(n)s person", "Trial import of %(n)s people", n)
    elif kind == "person":
        text = ngettext("Import of %(n)s person", "Import of %(n)s people", n)
    elif trial:
        text = ngettext("Trial import of %(n)s company", "Trial import of %(n)s companies", n)
    else:
        text = ngettext("Import of %(n)s company", "Import of %(n)s companies", n)
    return text % {"n": n}


class _Rollback(Exception):
    pass


def _create(actor: Any, kind: str, args: dict[str, Any], force: bool, result: dict[str, Any]) -> Any:
    if kind == "company":
        return services.company_create(actor=actor, force=force, **args)
    company_name = args.pop("company", "")
    if company_name:
        # The employer by its exact (folded) name among the companies this user sees; made if there is none.
        named = _companies_named(company_name)
        args["company"] = restrict(named, actor).first()
        if args["company"] is None and named.exists():  # hidden from this user: do not make a second one
            message = _(
                "A company named “%(name)s” exists, but you cannot see it: ask its owner to share it, or leave "
                "the company column empty."
            ) % {"name": company_name}
            raise DomainError(message, errors={"company": [message]})
        if args["company"] is None:
            args["company"] = services.company_create(actor=actor, name=company_name, force=True)
            result["companies_created"] += 1
    return services.person_create(actor=actor, force=force, **args)


def _companies_named(name: str) -> Any:
    """Live companies whose legal name folds to ``name``'s fold. The search key is the folded name, then
    the short name if any: an exact match or an index range over "<name> …" finds both."""
    key = fold(name)
    candidates = Company.objects.filter(deleted_at__isnull=True).filter(
        Q(search_key=key) | Q(search_key__gte=key + " ", search_key__lt=key + "!")
    )
    ids = [pk for pk, legal in candidates.values_list("pk", "name")[:50] if fold(legal) == key]
    return Company.objects.filter(pk__in=ids).order_by("pk")


def import_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    actor = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind, trial, force = job.params["kind"], job.params["trial"], job.params.get("duplicates") == "create"
    table = read_table((import_dir() / job.params["file"]).read_bytes(), kind)
    result: dict[str, Any] = job.result or {
        "kind": kind,
        "trial": trial,
        "duplicates_mode": job.params.get("duplicates", "skip"),
        "lines": len(table.rows),
        "created": 0,
        "companies_created": 0,
        "duplicate_count": 0,
        "error_count": 0,
        "duplicates": [],
        "errors": [],
        "columns": {table.headers[i]: f for i, f in table.mapping.items()},
        "ignored_columns": table.ignored,
    }
    start = 0 if trial else job.done  # a resumed real import goes on after its last committed chunk
    progress.update(
        done=start, total=len(table.rows), message=_("Checking lines") if trial else _("Importing"), force=True
    )
    seen: dict[tuple[str, str], int] = {}
    problems = _problems(result)
    for line_no, values in _lines(table, 0, start):  # lines already imported feed the in-file duplicate check
        if line_no not in problems:
            _remember(seen, line_no, values, kind)
    for chunk_start in range(start, len(table.rows), CHUNK):
        chunk_end = min(chunk_start + CHUNK, len(table.rows))
        try:
            with transaction.atomic():
                for line_no, values in _lines(table, chunk_start, chunk_end):
                    problem = _import_line(actor, kind, line_no, values, force, seen, result)
                    if problem:
                        problems[line_no] = problem
                if trial:
                    raise _Rollback
                Job.objects.filter(pk=job.pk).update(done=chunk_end, result=result)
        except _Rollback:
            pass
        progress.update(done=chunk_end)
    progress.update(done=len(table.rows), message=_("Done"), force=True)
    job.result_file = _problem_file(job, table, problems) or ""
    if not trial:
        # Personal data is kept only as long as needed (KVKK): the upload goes once it is imported.
        (import_dir() / job.params["file"]).unlink(missing_ok=True)
    return result


def imports_clean(days: int = KEEP_DAYS) -> int:
    """Delete uploads that were checked but never imported after ``days`` days; returns how many. The files
    of lines with problems expire with every job result file (``core.jobfiles.exports_expire``)."""
    cutoff = time.time() - days * 86400
    removed = 0
    for path in import_dir().glob("*.csv"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def import_results_erase(person_id: int) -> None:
    """KVKK erasure of a person: import reports that list them as a likely duplicate lose their name (and
    the name of the line that looked like them, most likely the same human), and those imports' files of
    lines with problems go once the erasure commits (those lines hold the phone or e-mail that matched).
    Reports name other records only as duplicate candidates; created lines are only counted.
    Cost: PostgreSQL finds the reports by JSON containment; elsewhere every person import with duplicates
    is read (an erasure is rare)."""
    jobs = Job.objects.filter(kind="customers.import", params__kind="person", result__duplicate_count__gt=0)
    if connection.features.supports_json_field_contains:
        jobs = jobs.filter(result__contains={"duplicates": [{"candidates": [{"id": person_id}]}]})
    for job in jobs.select_for_update().only("pk", "result", "result_file"):
        changed = False
        for item in job.result.get("duplicates", []):
            for candidate in item["candidates"]:
                if candidate.get("id") == person_id:
                    candidate["title"] = item["title"] = ERASED
                    if "reasons" in candidate:  # "same phone: 0532 …" names their contact details
                        candidate["reasons"] = [ERASED]
                    changed = True
        if not changed:
            continue
        Job.objects.filter(pk=job.pk).update(result=job.result)
        if job.result_file:
            path = settings.EXPORT_DIR / job.result_file
            transaction.on_commit(functools.partial(path.unlink, missing_ok=True))


def _lines(table: Table, start: int, end: int) -> Iterator[tuple[int, dict[str, str]]]:
    for index in range(start, end):
        row = table.rows[index]
        cells = {field: restore_cell(row[i]).strip() for i, field in table.mapping.items() if i < len(row)}
        values = {field: value for field, value in cells.items() if value}
        yield table.line_numbers[index], values


def _remember(seen: dict[tuple[str, str], int], line_no: int, values: dict[str, str], kind: str) -> None:
    """Note an already imported line's keys (a resumed import re-reads the lines before its restart)."""
    try:
        args = line_arguments(values, kind)
    except DomainError:
        return
    for key in _file_keys(args, kind):
        seen.setdefault(key, line_no)


def _title(values: dict[str, str], kind: str) -> str:
    """The line's name for the report (cut short: a cell may be far longer than any name)."""
    if kind == "company":
        return values.get("name", "")[:200]
    name = values.get("full_name") or f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
    return name[:200]


def _import_line(
    actor: Any,
    kind: str,
    line_no: int,
    values: dict[str, str],
    force: bool,
    seen: dict[tuple[str, str], int],
    result: dict[str, Any],
) -> str | None:
    """Create one line's record; returns what was wrong with it, or None when it was created."""
    title = _title(values, kind)
    try:
        args = line_arguments(values, kind)
        keys = _file_keys(args, kind)
        earlier = [] if force else _earlier_lines(seen, keys, kind)
        if earlier:
            raise DuplicateFound(earlier)
        with transaction.atomic():  # a line that fails leaves nothing behind (not even its new company)
            _create(actor, kind, dict(args), force, result)
    except DuplicateFound as exc:
        result["duplicate_count"] += 1
        if len(result["duplicates"]) < MAX_LISTED:
            result["duplicates"].append({"line": line_no, "title": title, "candidates": exc.candidates[:5]})
        reasons = "; ".join(f"{c['title']}: {', '.join(c['reasons'])}" for c in exc.candidates[:5])
        return _("possible duplicate") + " — " + reasons
    except DomainError as exc:
        result["error_count"] += 1
        messages = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        if len(result["errors"]) < MAX_LISTED:
            result["errors"].append({"line": line_no, "title": title, "messages": messages})
        return "; ".join(messages)
    result["created"] += 1
    for key in keys:
        seen.setdefault(key, line_no)
    return None


def _earlier_lines(seen: dict[tuple[str, str], int], keys: list[tuple[str, str]], kind: str) -> list[dict[str, Any]]:
    """Candidates for the earlier lines of this file that the line repeats (by line number, with reasons)."""
    lines: dict[int, list[str]] = {}
    for reason, key in keys:
        if (reason, key) in seen:
            lines.setdefault(seen[(reason, key)], []).append(reason)
    return [
        {
            "type": kind,
            "id": None,
            "url": None,
            "title": _("line %(line)s of this file") % {"line": line},
            "line": line,
            "customer_number": None,
            "reasons": reasons,
            "visible": True,
        }
        for line, reasons in sorted(lines.items())
    ]


def _problems(result: dict[str, Any]) -> dict[int, str]:
    """Problems a resumed import already found (as far as the job kept them)."""
    problems = {item["line"]: "; ".join(item["messages"]) for item in result["errors"]}
    for item in result["duplicates"]:
        problems[item["line"]] = _("possible duplicate")
    return problems


def _problem_file(job: Job, table: Table, problems: dict[int, str]) -> str | None:
    """A CSV of the lines not imported, with a "problem" column, to fix and upload again."""
    if not problems:
        return None
    export_dir = settings.EXPORT_DIR
    export_dir.mkdir(parents=True, exist_ok=True)
    name = f"import-problems-{job.pk}.csv"
    with (export_dir / name).open("w", newline="", encoding="utf-8-sig") as fh:
        writer = safe_writer(fh, delimiter=";")  # a cell cannot run as a formula
        writer.writerow([*table.headers, _("problem")])
        row_at = {line_no: index for index, line_no in enumerate(table.line_numbers)}
        for line_no in sorted(problems):
            writer.writerow([*table.rows[row_at[line_no]], problems[line_no]])
    return name


def column_help(kind: str) -> list[tuple[Any, tuple[str, ...]]]:
    """(what, column names) for the fields a file of ``kind`` may have, in a sensible order."""
    skip = COMPANY_ONLY if kind == "person" else PERSON_ONLY
    return [(FIELD_LABELS[field], names) for field, names in COLUMNS.items() if field not in skip]
