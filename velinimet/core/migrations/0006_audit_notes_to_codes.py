"""Audit notes become action codes with data, read one last time with the patterns that translated them.

Until this migration the services wrote free English notes ("merged C-000012 in") and the audit page parsed
them back with these regular expressions to translate them. The patterns are copied here, not imported:
the app code they came from is gone, and a migration must not change when the app does. Reversible: going
back writes each note again, in the same English words, from its code and data."""

import re

from django.db import migrations
from django.db.models import Q

#: (note as the services wrote it, the verb of its code). The data are the pattern's named groups.
NOTES = [
    (re.compile(r"bulk assign"), "bulk_assigned"),
    (re.compile(r"tag added: (?P<tags>.*)"), "tagged"),
    (re.compile(r"moved to trash"), "trashed"),
    (re.compile(r"merged (?P<number>\S+) in"), "merged_in"),
    (re.compile(r"merged into (?P<number>\S+)"), "merged_into"),
    (re.compile(r"merge undone"), "merge_undone"),
    (re.compile(r"KVKK data export"), "kvkk_exported"),
    (re.compile(r"KVKK erasure: (?P<reason>.*)"), "erased"),
    (re.compile(r"password changed"), "password_changed"),
    (re.compile(r"two-factor login enabled"), "two_factor_enabled"),
    (re.compile(r"two-factor login removed"), "two_factor_removed"),
    (re.compile(r"job cancelled"), "cancelled"),
]
#: The note each verb is written back as (reverse).
ENGLISH = {
    "bulk_assigned": "bulk assign",
    "tagged": "tag added: %(tags)s",
    "trashed": "moved to trash",
    "merged_in": "merged %(number)s in",
    "merged_into": "merged into %(number)s",
    "merge_undone": "merge undone",
    "kvkk_exported": "KVKK data export",
    "erased": "KVKK erasure: %(reason)s",
    "password_changed": "password changed",
    "two_factor_enabled": "two-factor login enabled",
    "two_factor_removed": "two-factor login removed",
    "cancelled": "job cancelled",
}
#: An entry without a note: its code says what its kind said.
KIND_VERBS = {"create": "created", "update": "updated", "delete": "deleted", "restore": "restored"}
#: A note no pattern knew (none of the services wrote one): kept as data, shown as it was.
LEGACY = "core.legacy_note"


def note_to_code(prefix, note):
    """(code, data) for an entry of record type ``prefix`` ("customers.person") with ``note``."""
    for pattern, verb in NOTES:
        match = pattern.fullmatch(note)
        if match:
            return f"{prefix}.{verb}", match.groupdict()
    return LEGACY, {"note": note}


def code_to_note(code, data):
    """The English note an entry with ``code`` and ``data`` had before this migration."""
    if code == LEGACY:
        return str(data.get("note", ""))[:200]
    verb = code.rpartition(".")[2]
    if verb not in ENGLISH:
        return ""
    values = {key: data.get(key, "") for key in ("tags", "number", "reason")}
    return (ENGLISH[verb] % values)[:200]


def forward(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    entries = AuditEntry.objects.using(schema_editor.connection.alias)
    prefixes = {ct.pk: f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.using(entries.db)}
    # Entries without a note are nearly all of them: one UPDATE per record type and kind.
    plain = entries.filter(note="").order_by().values_list("content_type", "action").distinct()
    for content_type, kind in list(plain):
        if kind in KIND_VERBS:
            code = f"{prefixes[content_type]}.{KIND_VERBS[kind]}"
            entries.filter(note="", content_type=content_type, action=kind).update(code=code)
    batch = []
    for entry in entries.exclude(note="").only("pk", "note", "content_type").iterator(chunk_size=2000):
        entry.code, entry.data = note_to_code(prefixes[entry.content_type_id], entry.note)
        batch.append(entry)
        if len(batch) >= 1000:
            AuditEntry.objects.using(entries.db).bulk_update(batch, ["code", "data"])
            batch = []
    AuditEntry.objects.using(entries.db).bulk_update(batch, ["code", "data"])


def backward(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    entries = AuditEntry.objects.using(schema_editor.connection.alias)
    plain = Q(code="")
    for verb in KIND_VERBS.values():
        plain |= Q(code__endswith=f".{verb}")
    batch = []
    for entry in entries.exclude(plain).only("pk", "code", "data").iterator(chunk_size=2000):
        entry.note = code_to_note(entry.code, entry.data or {})
        batch.append(entry)
        if len(batch) >= 1000:
            AuditEntry.objects.using(entries.db).bulk_update(batch, ["note"])
            batch = []
    AuditEntry.objects.using(entries.db).bulk_update(batch, ["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_auditentry_code_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
