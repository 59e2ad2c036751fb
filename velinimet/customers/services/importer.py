"""Import people or companies from a CSV file, with the same checks and duplicate warnings as the forms.

First a *trial run* (nothing is kept) tells, line by line, what would be created, what looks like a duplicate
(of a record already here, or of an earlier line of the same file) and what is wrong; then the real import
creates the good lines and skips duplicates unless asked to create them too. Both run as background jobs
with progress. Every line goes through ``person_create`` / ``company_create``: one set of rules.

The real import commits every ``CHUNK`` lines (or ``CHUNK_SECONDS``) together with the job's progress, so a
worker that dies midway resumes after the last committed line instead of importing lines twice.
"""

from __future__ import annotations

import functools
import io
import itertools
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from velinimet.core.csvfile import restore_cell, safe_writer
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.core.text import fold
from velinimet.core.visibility import Action, Level, level_for, restrict
from velinimet.customers.exceptions import DuplicateFound
from velinimet.customers.models import Company
from velinimet.customers.services import records as services
from velinimet.customers.services.import_columns import (
    EarlierLines,
    column_help,
    line_arguments,
    line_title,
)
from velinimet.customers.services.import_reading import (
    Header,
    ImportFileError,
    check_head,
    data_records,
    read_table,
    scan,
)
from velinimet.customers.services.matching import FileIndex
from velinimet.customers.services.validation import validated_subject

if TYPE_CHECKING:
    from velinimet.accounts.models import User


__all__ = [  # the names other modules import from here
    "DUPLICATE_MODES",
    "ImportFileError",
    "column_help",
    "import_confirm",
    "import_dir",
    "import_results_erase",
    "import_run",
    "import_start",
    "imports_clean",
    "line_arguments",
    "read_table",
]

CHUNK = 200
#: A chunk also ends once it has held its transaction this long. SQLite has one writer at a time: a 200-line
#: chunk took 2–5 s on a loaded machine, and the import took the lock again at once, so every web request
#: that wrote (a session, a create, a cancel) waited out its busy timeout and failed.
CHUNK_SECONDS = 0.5
#: After each chunk the import pauses this long on SQLite, so that writers waiting for the lock get it:
#: SQLite's busy handler retries every 100 ms at most, and a lock taken again at once is never seen free.
YIELD_SECONDS = 0.15
ERASED = "[erased]"  # as kvkk.ERASED (kvkk imports this module)
KEEP_DAYS = 7  # an upload checked but never imported is deleted after this many days
MAX_LISTED = 1000  # problem lines listed in the job's result; the downloadable CSV has every one
KINDS = {"person": "customers.person", "company": "customers.company"}
DUPLICATE_MODES = ("skip", "create")


# --- starting and running ---------------------------------------------------------------------
def import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def import_store(upload: bytes | BinaryIO | Iterable[bytes], *, size_limit: int | None) -> str:
    """Stream an upload into the imports folder and return its name. The web request does only this and
    the cheap checks (empty, an Excel workbook, the size cap): reading and parsing happen in the job.
    Memory: one chunk (Django's upload chunks, 64 kB) at a time."""
    chunks = upload.chunks() if hasattr(upload, "chunks") else _chunks(upload)
    name = f"{uuid.uuid4().hex}.csv"
    part = import_dir() / f"{name}.part"
    size = 0
    try:
        with part.open("wb") as out:
            for chunk in chunks:
                if not size:
                    check_head(chunk[:4096])
                size += len(chunk)
                if size_limit is not None and size > size_limit:  # a chunked body has no length to check first
                    message = _("The file is too large (more than %(limit)s bytes).") % {"limit": size_limit}
                    raise ImportFileError(message)
                out.write(chunk)
        if not size:
            check_head(b"")
        part.rename(import_dir() / name)
    finally:
        part.unlink(missing_ok=True)
    return name


def _chunks(upload: Any) -> Iterator[bytes]:
    if isinstance(upload, bytes | bytearray):
        upload = io.BytesIO(upload)
    if hasattr(upload, "read"):
        while chunk := upload.read(1 << 16):
            yield chunk
    else:
        yield from upload


def import_start(
    *,
    actor: User,
    kind: str,
    data: bytes | BinaryIO | Iterable[bytes] | None = None,
    file: str | None = None,
    trial: bool,
    duplicates: str = "skip",
    uncapped: bool = False,
    language: str = "",
) -> Job:
    """Queue an import of ``data`` (a new upload: bytes or a file object, streamed to disk) or of the
    ``file`` a trial run already stored. The file is read only by the job. Uploads are capped at
    ``MAX_IMPORT_BODY`` bytes unless ``uncapped`` (the command line's own files). ``language``: the report's
    language, when not the actor's (the command line's ``--language``)."""
    if kind not in KINDS:
        raise DomainError(_("Choose people or companies."), errors={"kind": [_("Choose people or companies.")]})
    if level_for(actor, KINDS[kind], Action.CREATE) == Level.NONE:
        raise NotAllowed(_("You may not create these records."))
    if duplicates not in DUPLICATE_MODES:
        raise DomainError(_("Choose whether to skip or create likely duplicates."))
    if data is not None:
        file = import_store(data, size_limit=None if uncapped else settings.MAX_IMPORT_BODY)
    elif not file or not re.fullmatch(r"[0-9a-f]{32}\.csv", file) or not (import_dir() / file).is_file():
        raise DomainError(_("The uploaded file is no longer here; upload it again."))
    params = {"kind": kind, "file": file, "trial": trial, "duplicates": duplicates}
    if language in dict(settings.LANGUAGES):
        params["language"] = language
    return job_start(actor=actor, kind="customers.import", title=_title_for(kind, trial, None), params=params)


def import_confirm(*, actor: User, trial_id: Any, duplicates: str = "skip") -> Job:
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


def _title_for(kind: str, trial: bool, n: int | None) -> str:
    """The job's title; the count of lines is known once the job has read the file."""
    if n is None:
        untold = {
            ("person", True): _("Trial import of people"),
            ("person", False): _("Import of people"),
            ("company", True): _("Trial import of companies"),
            ("company", False): _("Import of companies"),
        }
        return untold[(kind, trial)]
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


def _create(
    actor: User, kind: str, args: dict[str, Any], force: bool, result: dict[str, Any], earlier: EarlierLines
) -> Any:
    if kind == "company":
        return services.company_create(actor=actor, force=force, earlier=earlier, **args)
    company_name = args.pop("company", "")
    new_company = False
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
            new_company = True
    person = services.person_create(actor=actor, force=force, earlier=earlier, **args)
    result["companies_created"] += new_company  # not for a line refused after its company was made
    return person


def _companies_named(name: str) -> Any:
    """Live companies whose legal name folds to ``name``'s fold. The search key is the folded name, then
    the short name if any: an exact match or an index range over "<name> …" finds both."""
    key = fold(name)
    candidates = Company.objects.live().filter(
        Q(search_key=key) | Q(search_key__gte=key + " ", search_key__lt=key + "!")
    )
    ids = [pk for pk, legal in candidates.values_list("pk", "name")[:50] if fold(legal) == key]
    return Company.objects.filter(pk__in=ids).order_by("pk")


def import_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    """The job: scan the whole file (refusing it before any line is imported if it is past a cap or
    unreadable), then check or import its lines, ``CHUNK`` at a time, streamed from the file."""
    actor = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind, trial, force = job.params["kind"], job.params["trial"], job.params.get("duplicates") == "create"
    path = import_dir() / job.params["file"]

    def open_() -> BinaryIO:
        return path.open("rb")

    progress.update(message=_("Reading the file"), force=True)
    header, total = scan(open_, kind, progress=lambda _read: progress.update())  # keeps the heartbeat fresh
    title = _title_for(kind, trial, total)
    Job.objects.filter(pk=job.pk).update(title=title[:200])
    result: dict[str, Any] = job.result or {
        "kind": kind,
        "trial": trial,
        "duplicates_mode": job.params.get("duplicates", "skip"),
        "lines": total,
        "created": 0,
        "companies_created": 0,
        "duplicate_count": 0,
        "error_count": 0,
        "duplicates": [],
        "errors": [],
        "columns": {header.headers[i]: f for i, f in header.mapping.items()},
        "ignored_columns": header.ignored,
    }
    start = 0 if trial else job.done  # a resumed real import goes on after its last committed chunk
    progress.update(done=start, total=total, message=_("Checking lines") if trial else _("Importing"), force=True)
    index = FileIndex(kind)  # the lines created so far (in a trial too, though it rolls them back)
    problems = _problems(result)
    lines = _lines(header, data_records(open_))
    for line_no, values in itertools.islice(lines, start):  # imported lines feed the in-file duplicate check
        if line_no not in problems:
            _remember(index, line_no, values, kind)
    done = start
    while True:
        in_chunk, began = 0, time.monotonic()
        try:
            with transaction.atomic():
                for line_no, values in lines:
                    in_chunk += 1
                    problem = _import_line(actor, kind, line_no, values, force, index, result)
                    if problem:
                        problems[line_no] = problem
                    if in_chunk >= CHUNK or time.monotonic() - began >= CHUNK_SECONDS:
                        break
                done += in_chunk
                if trial:
                    raise _Rollback
                if in_chunk:
                    Job.objects.filter(pk=job.pk).update(done=done, result=result)
        except _Rollback:
            pass
        if not in_chunk:
            break
        progress.update(done=done)
        if connection.vendor == "sqlite":
            time.sleep(YIELD_SECONDS)
    progress.update(done=total, message=_("Done"), force=True)
    job.result_file = _problem_file(job, header.headers, data_records(open_), problems) or ""
    if not trial:
        # Personal data is kept only as long as needed (KVKK): the upload goes once it is imported.
        path.unlink(missing_ok=True)
    return result


def imports_clean(days: int = KEEP_DAYS) -> int:
    """Delete uploads that were checked but never imported after ``days`` days; returns how many. The files
    of lines with problems expire with every job result file (``core.jobfiles.exports_expire``)."""
    cutoff = time.time() - days * 86400
    removed = 0
    for path in [*import_dir().glob("*.csv"), *import_dir().glob("*.csv.part")]:
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


def _lines(header: Header, found: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, dict[str, str]]]:
    for line_no, row in found:
        cells = {field: restore_cell(row[i]).strip() for i, field in header.mapping.items() if i < len(row)}
        yield line_no, {field: value for field, value in cells.items() if value}


def _remember(index: FileIndex, line_no: int, values: dict[str, str], kind: str) -> None:
    """Note an already imported line's keys (a resumed import re-reads the lines before its restart)."""
    try:
        subject = validated_subject(kind, line_arguments(values, kind))
    except DomainError:
        return
    index.add(subject, line_no)


def _import_line(
    actor: User,
    kind: str,
    line_no: int,
    values: dict[str, str],
    force: bool,
    index: FileIndex,
    result: dict[str, Any],
) -> str | None:
    """Create one line's record; returns what was wrong with it, or None when it was created. The create
    checks the line against the earlier lines of the file first, then against the database."""
    title = line_title(values, kind)
    earlier = EarlierLines(index, kind)
    try:
        args = line_arguments(values, kind)
        with transaction.atomic():  # a line that fails leaves nothing behind (not even its new company)
            _create(actor, kind, dict(args), force, result, earlier)
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
    if earlier.subject is not None:
        index.add(earlier.subject, line_no)
    return None


def _problems(result: dict[str, Any]) -> dict[int, str]:
    """Problems a resumed import already found (as far as the job kept them)."""
    problems = {item["line"]: "; ".join(item["messages"]) for item in result["errors"]}
    for item in result["duplicates"]:
        problems[item["line"]] = _("possible duplicate")
    return problems


def _problem_file(
    job: Job, headers: list[str], found: Iterator[tuple[int, list[str]]], problems: dict[int, str]
) -> str | None:
    """A CSV of the lines not imported, with a "problem" column, to fix and upload again (the file is read
    once more, streamed, for those lines' cells)."""
    if not problems:
        return None
    export_dir = settings.EXPORT_DIR
    export_dir.mkdir(parents=True, exist_ok=True)
    name = f"import-problems-{job.pk}.csv"
    with (export_dir / name).open("w", newline="", encoding="utf-8-sig") as fh:
        writer = safe_writer(fh, delimiter=";")  # a cell cannot run as a formula
        writer.writerow([*headers, _("problem")])
        for line_no, row in found:
            if line_no in problems:
                writer.writerow([*row, problems[line_no]])
    return name
