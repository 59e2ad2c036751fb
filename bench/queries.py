"""Realistic inputs taken from the seeded data: search strings, phone numbers in the ways people type them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

# (category, share of the mix in percent)
SEARCH_MIX = [
    ("first name", 12),
    ("last name", 12),
    ("name prefix 2-5", 15),
    ("folded ascii", 10),
    ("upper-case turkish", 6),
    ("full name", 14),
    ("phone", 14),
    ("e-mail", 6),
    ("customer number", 6),
    ("company name", 5),
    ("passport spelling", 5),
    ("russian spelling", 3),
]

_PASSPORT = str.maketrans({"ə": "a", "Ə": "A", "x": "kh", "X": "Kh", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch",
                           "ğ": "gh", "q": "g", "Q": "G", "ı": "i", "I": "I", "İ": "I", "ö": "o", "Ö": "O",
                           "ü": "u", "Ü": "U"})  # fmt: skip


def passport_spelling(name: str) -> str:
    """A name as an Azerbaijani passport (ICAO) writes it: Məmmədov → MAMMADOV, Xəlil → KHALIL."""
    return name.translate(_PASSPORT).upper()


def russian_spelling(name: str) -> str:
    """A name as Russian-era documents write it: Məmmədov → Mamedov, Əliyev → Aliev, Həsənov → Gasanov."""
    text = name.replace("mm", "m").replace("yev", "ev").replace("Hə", "Gə").replace("Ə", "A").replace("ə", "a")
    return text.translate(_PASSPORT).title()


@dataclass
class Sample:
    person_id: int
    first_name: str
    last_name: str
    customer_number: str
    e164: str
    national: str
    email: str


def sample_people(count: int, rng: random.Random) -> list[Sample]:
    """``count`` random live people with their primary phone and e-mail (ids are dense from the seed)."""
    from velinimet.customers.models import Email, Person, Phone

    bounds = Person.objects.filter(deleted_at__isnull=True).order_by("id").values_list("id", flat=True)
    low, high = bounds.first(), bounds.last()
    wanted = sorted({rng.randint(low, high) for _ in range(count * 2)})
    people = {
        p["id"]: p
        for p in Person.objects.filter(id__in=wanted, deleted_at__isnull=True).values(
            "id", "first_name", "last_name", "customer_number"
        )
    }
    phones: dict[int, Any] = {}
    for row in (
        Phone.objects.filter(person_id__in=people).order_by("-is_primary", "id").values("person_id", "e164", "national")
    ):
        phones.setdefault(row["person_id"], row)
    emails: dict[int, str] = {}
    for row in Email.objects.filter(person_id__in=people).order_by("-is_primary", "id").values("person_id", "address"):
        emails.setdefault(row["person_id"], row["address"])
    out = []
    for pk, p in people.items():
        if pk in phones and pk in emails:
            out.append(
                Sample(
                    pk,
                    p["first_name"],
                    p["last_name"],
                    p["customer_number"],
                    phones[pk]["e164"],
                    phones[pk]["national"],
                    emails[pk],
                )
            )
    rng.shuffle(out)
    return out[:count]


def phone_formats(e164: str, rng: random.Random) -> str:
    """One of the ways people type a number: "0532 123 45 67", "+90 (532) 1234567", "5321234567", ..."""
    if e164.startswith("+90"):
        n = e164[3:]  # 10 digits
        forms = [
            f"0{n[:3]} {n[3:6]} {n[6:8]} {n[8:]}",
            f"+90 ({n[:3]}) {n[3:]}",
            n,
            f"0{n}",
            f"90{n}",
            f"+90 {n[:3]} {n[3:6]} {n[6:]}",
            f"0 ({n[:3]}) {n[3:6]}-{n[6:8]}-{n[8:]}",
            e164,
        ]
    elif e164.startswith("+994"):
        n = e164[4:]  # 9 digits
        forms = [f"0{n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"+994 {n[:2]} {n[2:5]} {n[5:7]} {n[7:]}", f"994{n}", e164]
    else:
        forms = [e164]
    return rng.choice(forms)


def _fold_ascii(text: str) -> str:
    from velinimet.core.text import fold

    return fold(text)


def _upper_tr(text: str) -> str:
    """Turkish upper case: i -> İ, ı -> I (what a user with Caps Lock on a Turkish keyboard types)."""
    return text.replace("i", "İ").replace("ı", "I").upper()


def search_queries(
    samples: list[Sample], companies: list[str], count: int, rng: random.Random
) -> list[tuple[str, str]]:
    """(category, query) pairs in the proportions of ``SEARCH_MIX``, shuffled."""
    out: list[tuple[str, str]] = []
    for category, share in SEARCH_MIX:
        for _ in range(round(count * share / 100)):
            s = rng.choice(samples)
            if category == "first name":
                q = s.first_name
            elif category == "last name":
                q = s.last_name
            elif category == "name prefix 2-5":
                word = _fold_ascii(rng.choice([s.first_name, s.last_name]))
                q = word[: rng.randint(2, min(5, max(2, len(word))))]
            elif category == "folded ascii":
                q = _fold_ascii(rng.choice([s.first_name, s.last_name, f"{s.first_name} {s.last_name}"]))
            elif category == "upper-case turkish":
                q = _upper_tr(rng.choice([s.last_name, f"{s.first_name} {s.last_name}"]))
            elif category == "full name":
                q = f"{s.first_name} {s.last_name}"
            elif category == "phone":
                q = phone_formats(s.e164, rng)
            elif category == "e-mail":
                q = s.email
            elif category == "customer number":
                q = s.customer_number
            elif category == "passport spelling":
                q = passport_spelling(rng.choice([s.last_name, f"{s.first_name} {s.last_name}"]))
            elif category == "russian spelling":
                q = russian_spelling(s.last_name)
            else:
                q = rng.choice(companies) if companies else s.last_name
            out.append((category, q))
    rng.shuffle(out)
    return out[:count]


def company_names(count: int, rng: random.Random) -> list[str]:
    """Short names of random companies (a user types "Işık Lojistik", not the legal suffix)."""
    from velinimet.customers.models import Company

    ids = list(Company.objects.order_by().values_list("id", flat=True)[:50000])
    picked = rng.sample(ids, min(count, len(ids))) if ids else []
    return [c.short_name or c.name for c in Company.objects.filter(id__in=picked).only("name", "short_name")]
