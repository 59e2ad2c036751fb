"""The duplicate rules, declared once: what makes two people or two companies likely the same customer.

Three callers use this list and nothing else, so they cannot drift apart:

- the check when a record is created (``services/duplicates.py``: ``find_duplicates``, ``lock_duplicate_keys``);
- the import, against the database (the same create-time check) and against the earlier lines of its own
  file (``FileIndex``), so that a trial run, which rolls back what it creates, reports "line 2 of this
  file" for a line that repeats line 2, exactly as the real import does;
- the duplicate finder job (``services/finder.py``), which pairs the records of the whole database.

A rule has a ``code``, a translated ``label`` ("same phone"), a ``strength`` and two key functions of a
*validated* record (``Subject``: the record as the services cleaned it, its validated contacts, its
employer), so that every caller compares the stored forms: the e-mail key (``normalize.email_key``), the
phone in E.164, the identifiers without separators, the spelling-blind names (``core.text.sound_key``: "Məmmədov",
"MAMMADOV" and "Mamedov" are one name) and the folded city.

- ``stored(subject)``: the keys a record is found under. They are what the database holds (``Email.key``,
  ``Phone.e164``, ``Person.tckn``, ``sound_key`` with ``Address.city_key``), so a database lookup finds
  exactly the records whose stored keys a new record asks for.
- ``probe(subject)``: the keys a new record is looked up by; always a superset of ``stored``. Two rules
  probe more than they store: a person's name in the other order ("Öztürk Şükrü"), a company's legal or
  short name alone.

A new record matches a record by a rule when one of its probe keys is among the record's stored keys.
The finder pairs records with a stored key in common (one GROUP BY per rule), so it does not pair a name
with the same name in the other order.

Card numbers are not a rule: a card belongs to one customer, and a second record with it is refused by
validation, not reported as a duplicate.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from velinimet.core.text import fold, sound_key
from velinimet.customers.models import Address, Company, DuplicatePair, Email, Employment, Person, Phone

if TYPE_CHECKING:
    from velinimet.customers.services.validation import Contacts

#: A value shared by more records than this (a switchboard number) is not a sign of a duplicate (the finder).
MAX_GROUP = 20


class Strength(enum.StrEnum):
    """How sure a match is. ``EXACT``: a national identity or tax number names one legal person.
    ``STRONG``: a contact or account people rarely share (e-mail, phone, IBAN). ``POSSIBLE``: a name,
    which many people share, in the same place."""

    EXACT = "exact"
    STRONG = "strong"
    POSSIBLE = "possible"


@dataclass(frozen=True)
class Subject:
    """A validated person or company, saved or not: what the rules look at.

    ``record`` carries cleaned fields (identifiers normalised) and its ``search_key`` and ``sound_key``; ``contacts`` the
    validated phones, e-mails and addresses (None: not given, as in an update that keeps them);
    ``employer`` the company a new person is linked to."""

    record: Person | Company
    contacts: Contacts | None = None
    employer: Company | None = None

    @property
    def kind(self) -> str:
        return "person" if isinstance(self.record, Person) else "company"

    @property
    def model(self) -> type[Person] | type[Company]:
        return Person if isinstance(self.record, Person) else Company


def name_keys(record: Person | Company) -> set[str]:
    """The spelling-blind names (``sound_key``) ``record`` is looked up by: its own, a person's names in the
    other order, a company's legal and short name each alone."""
    if isinstance(record, Person):
        names = {f"{record.first_name} {record.last_name}", f"{record.last_name} {record.first_name}"}
    else:
        names = {record.name, record.short_name}
    return {key for key in (*(sound_key(name) for name in names), record.sound_key) if key}


def _cities(subject: Subject) -> set[str]:
    return {a.city_key for a in (subject.contacts.addresses if subject.contacts else []) if a.city_key}


# --- key functions ---------------------------------------------------------------------------
def _emails(subject: Subject) -> set[str]:
    return {e.key for e in subject.contacts.emails} if subject.contacts else set()


def _phones(subject: Subject) -> set[str]:
    return {p.e164 for p in subject.contacts.phones} if subject.contacts else set()


def _field(name: str) -> Callable[[Subject], set[str]]:
    def keys(subject: Subject) -> set[str]:
        value = getattr(subject.record, name, "")
        return {value} if value else set()

    return keys


def _name_city_stored(subject: Subject) -> set[str]:
    key = subject.record.sound_key
    return {f"{key}|{city}" for city in _cities(subject)} if key else set()


def _name_city_probe(subject: Subject) -> set[str]:
    return {f"{name}|{city}" for name in name_keys(subject.record) for city in _cities(subject)}


def _employer_key(subject: Subject) -> str:
    # The employer's folded legal name, not its id: a trial import creates the same company again in each
    # chunk (under a new id), and the import links a company name to one company by this very key.
    return fold(subject.employer.name) if subject.employer is not None else ""


def _name_company_stored(subject: Subject) -> set[str]:
    employer, key = _employer_key(subject), subject.record.sound_key
    return {f"{key}|{employer}"} if employer and key else set()


def _name_company_probe(subject: Subject) -> set[str]:
    employer = _employer_key(subject)
    return {f"{name}|{employer}" for name in name_keys(subject.record)} if employer else set()


# --- database lookups: (pk, value to show) of the records stored under a subject's probe keys ----
Found = Iterable[tuple[int | None, str]]


def _find_contact(model: type[Email] | type[Phone], column: str, shown: str) -> Callable[[Subject, set[str]], Found]:
    def find(subject: Subject, keys: set[str]) -> Found:
        return model.objects.filter(**{f"{column}__in": keys}).values_list(subject.kind, shown)  # type: ignore[misc]

    return find


def _find_field(name: str) -> Callable[[Subject, set[str]], Found]:
    def find(subject: Subject, keys: set[str]) -> Found:
        return ((pk, "") for pk in subject.model.objects.filter(**{f"{name}__in": keys}).values_list("pk", flat=True))

    return find


def _live_named(subject: Subject) -> QuerySet[Any]:
    return subject.model.objects.live().filter(sound_key__in=name_keys(subject.record))


def _find_name_city(subject: Subject, keys: set[str]) -> Found:
    in_city = Address.objects.filter(city_key__in=_cities(subject)).values(subject.kind)
    return ((pk, "") for pk in _live_named(subject).filter(pk__in=in_city).values_list("pk", flat=True))


def _find_name_company(subject: Subject, keys: set[str]) -> Found:
    if subject.employer is None or subject.employer.pk is None:
        return ()
    staff = Employment.objects.filter(company=subject.employer).values("person")
    return ((pk, "") for pk in _live_named(subject).filter(pk__in=staff).values_list("pk", flat=True))


# --- the finder: groups of visible records sharing a stored key ------------------------------
Groups = list[list[int]]


def _groups(qs: QuerySet[Any], key: str, holder: str) -> Groups:
    """The records (``holder`` ids) of ``qs`` that share a value of ``key``, 2 to ``MAX_GROUP`` of them."""
    shared = (
        qs.values(key)
        .annotate(n=Count(holder, distinct=True))
        .filter(n__gt=1, n__lte=MAX_GROUP)
        .values_list(key, flat=True)
    )
    members: dict[Any, set[int]] = defaultdict(set)
    for value, pk in qs.filter(**{f"{key}__in": shared}).values_list(key, holder):
        members[value].add(pk)
    return [sorted(ids) for ids in members.values() if len(ids) > 1]


def _pair_contact(model: type[Email] | type[Phone], column: str) -> Callable[[str, QuerySet[Any]], Groups]:
    def pair(kind: str, visible: QuerySet[Any]) -> Groups:
        return _groups(model.objects.filter(**{f"{kind}__in": visible}), column, kind)

    return pair


def _pair_field(name: str) -> Callable[[str, QuerySet[Any]], Groups]:
    def pair(kind: str, visible: QuerySet[Any]) -> Groups:
        model = Person if kind == "person" else Company
        records = model.objects.filter(pk__in=visible).exclude(**{name: ""}).annotate(**{kind: F("pk")})
        return _groups(records, name, kind)

    return pair


def _shared_names(kind: str, visible: QuerySet[Any]) -> QuerySet[Any]:
    model = Person if kind == "person" else Company
    return (
        model.objects.filter(pk__in=visible)
        .exclude(sound_key="")
        .values("sound_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("sound_key", flat=True)
    )


def _pair_by(rows: Iterable[tuple[Any, Any, int]]) -> Groups:
    members: dict[tuple[Any, Any], set[int]] = defaultdict(set)
    for name, place, pk in rows:
        members[(name, place)].add(pk)
    return [sorted(ids) for ids in members.values() if 1 < len(ids) <= MAX_GROUP]


def _pair_name_city(kind: str, visible: QuerySet[Any]) -> Groups:
    addresses = Address.objects.filter(**{f"{kind}__in": visible}).exclude(city_key="")
    named = addresses.filter(**{f"{kind}__sound_key__in": _shared_names(kind, visible)})
    return _pair_by(named.values_list(f"{kind}__sound_key", "city_key", kind))


def _pair_name_company(kind: str, visible: QuerySet[Any]) -> Groups:
    staff = Employment.objects.filter(person__in=visible, person__sound_key__in=_shared_names(kind, visible))
    return _pair_by(staff.values_list("person__sound_key", "company", "person"))


# --- the rules ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    code: str
    label: Promise  # translated when read: "same phone"
    strength: Strength
    kinds: frozenset[str]
    stored: Callable[[Subject], set[str]]
    find: Callable[[Subject, set[str]], Found]
    pair: Callable[[str, QuerySet[Any]], Groups]
    probe: Callable[[Subject], set[str]] | None = None  # None: the stored keys
    detail: Promise | None = None  # the reason with the matching record's value: "same phone %(value)s"
    weight: int = 0  # what the rule adds to a pair's score (the finder): see ``score``

    def probe_keys(self, subject: Subject) -> set[str]:
        return (self.probe or self.stored)(subject)

    def reason(self, value: str = "") -> str:
        """The reason shown for a match, naming the matching record's value where the rule has one."""
        return str(self.detail) % {"value": value} if self.detail is not None and value else str(self.label)


#: What each rule adds to a pair's score, out of 100 (``score``). An identifier names one legal person, so
#: it alone makes a pair near certain; a phone or an e-mail is strong (people rarely share one, but a
#: family or an office may); a name in the same city is weak: at 100,000 people, 97 % of the finder's
#: 400,000 pairs are only that, and they come last.
WEIGHTS: dict[str, int] = {
    "tckn": 90,
    "vkn": 90,
    "voen": 90,
    "email": 60,
    "iban": 60,
    "phone": 50,
    "name_company": 25,
    "name_city": 15,
}
MAX_SCORE = DuplicatePair.MAX_SCORE  # the stored pairs' rank encodes the score in this range

BOTH, PERSON, COMPANY = frozenset({"person", "company"}), frozenset({"person"}), frozenset({"company"})

#: In the order the reasons are listed.
RULES: tuple[Rule, ...] = (
    Rule(
        "email", _("same e-mail"), Strength.STRONG, BOTH, _emails,
        _find_contact(Email, "key", "address"), _pair_contact(Email, "key"), detail=_("same e-mail %(value)s"),
        weight=WEIGHTS["email"],
    ),
    Rule(
        "phone", _("same phone"), Strength.STRONG, BOTH, _phones,
        _find_contact(Phone, "e164", "national"), _pair_contact(Phone, "e164"), detail=_("same phone %(value)s"),
        weight=WEIGHTS["phone"],
    ),
    Rule(
        "tckn", _("same TCKN"), Strength.EXACT, PERSON, _field("tckn"), _find_field("tckn"), _pair_field("tckn"),
        weight=WEIGHTS["tckn"],
    ),
    Rule(
        "vkn", _("same VKN"), Strength.EXACT, COMPANY, _field("vkn"), _find_field("vkn"), _pair_field("vkn"),
        weight=WEIGHTS["vkn"],
    ),
    Rule(
        "voen", _("same VÖEN"), Strength.EXACT, COMPANY, _field("voen"), _find_field("voen"), _pair_field("voen"),
        weight=WEIGHTS["voen"],
    ),
    Rule(
        "iban", _("same IBAN"), Strength.STRONG, BOTH, _field("iban"), _find_field("iban"), _pair_field("iban"),
        weight=WEIGHTS["iban"],
    ),
    Rule(
        "name_city", _("same name in the same city"), Strength.POSSIBLE, BOTH, _name_city_stored,
        _find_name_city, _pair_name_city, probe=_name_city_probe, weight=WEIGHTS["name_city"],
    ),
    Rule(
        "name_company", _("same name at the same company"), Strength.POSSIBLE, PERSON, _name_company_stored,
        _find_name_company, _pair_name_company, probe=_name_company_probe, weight=WEIGHTS["name_company"],
    ),
)  # fmt: skip


def rules_for(kind: str) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if kind in rule.kinds)


RULE_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def reason_choices(kind: str) -> list[tuple[str, str]]:
    """The reasons a pair of ``kind`` can have, for the finder's filter: (code, label) in rule order."""
    return [(rule.code, str(rule.label)) for rule in rules_for(kind)]


def reason_weights(kind: str) -> list[tuple[str, int]]:
    """(label, weight) of the reasons of ``kind``, strongest first: how the score is made."""
    return [(str(rule.label), rule.weight) for rule in sorted(rules_for(kind), key=lambda rule: -rule.weight)]


def score(codes: Iterable[str]) -> int:
    """A pair's score, 1 to 100: the weights of the distinct rules it matches by, added, at most 100.
    Two shared phones are one reason; a phone and a name in the same city are 65; a TCKN alone is 90."""
    return min(MAX_SCORE, sum(RULE_BY_CODE[code].weight for code in set(codes)))


def matches(subject: Subject) -> dict[int, list[str]]:
    """The records (any state, any owner) that ``subject`` matches, with the reasons, in rule order.
    The record itself, when saved, is left out."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for rule in rules_for(subject.kind):
        keys = rule.probe_keys(subject)
        if not keys:
            continue
        for pk, value in rule.find(subject, keys):
            reason = rule.reason(value)
            if pk is not None and pk != subject.record.pk and reason not in reasons[pk]:
                reasons[pk].append(reason)
    return dict(reasons)


def lock_keys_of(subject: Subject) -> list[str]:
    """The keys that serialise concurrent checks: every probe key (so two creates that could match each
    other lock a key in common), and each folded name alone, which an update that changes only the name,
    with no addresses given, locks too."""
    keys = [f"{rule.code}:{key}" for rule in rules_for(subject.kind) for key in sorted(rule.probe_keys(subject))]
    return keys + [f"name:{key}" for key in sorted(name_keys(subject.record))]


class FileIndex:
    """The keys of the lines of one import file that were created (or would be, in a trial run): the
    import's "same as line 12 of this file", by the same rules as the database check."""

    def __init__(self, kind: str) -> None:
        self.rules = rules_for(kind)
        self.lines: dict[tuple[str, str], int] = {}

    def add(self, subject: Subject, line: int) -> None:
        for rule in self.rules:
            for key in rule.stored(subject):
                self.lines.setdefault((rule.code, key), line)

    def earlier(self, subject: Subject) -> dict[int, list[str]]:
        """The earlier lines ``subject`` matches, with the reasons (rule labels), by line number."""
        found: dict[int, list[str]] = {}
        for rule in self.rules:
            for key in sorted(rule.probe_keys(subject)):
                line = self.lines.get((rule.code, key))
                if line is not None and str(rule.label) not in found.setdefault(line, []):
                    found[line].append(str(rule.label))
        return dict(sorted(found.items()))
