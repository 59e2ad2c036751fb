"""Deterministic Turkish and Azerbaijani sample data for demos and benchmarks (no external data set)."""

from __future__ import annotations

import random
from dataclasses import dataclass

TR_FIRST_F = [
    "Ayşe",
    "Fatma",
    "Emine",
    "Hatice",
    "Zeynep",
    "Elif",
    "Merve",
    "Şule",
    "Gülşen",
    "Özlem",
    "İpek",
    "Işıl",
    "Büşra",
    "Çiğdem",
    "Ebru",
    "Derya",
    "Sevgi",
    "Nur",
    "Ümran",
    "Yağmur",
    "Dilek",
    "Esra",
    "Gizem",
    "Tuğçe",
]
TR_FIRST_M = [
    "Mehmet",
    "Mustafa",
    "Ahmet",
    "Ali",
    "Hüseyin",
    "Hasan",
    "İbrahim",
    "İsmail",
    "Şükrü",
    "Oğuz",
    "Çağrı",
    "Emre",
    "Murat",
    "Burak",
    "Ömer",
    "Yusuf",
    "Kerem",
    "Barış",
    "Gökhan",
    "Serkan",
    "Uğur",
    "Tolga",
    "Ilgaz",
]
TR_LAST = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Kara",
    "Koç",
    "Kurt",
    "Özkan",
    "Şimşek",
    "Polat",
    "Erdoğan",
    "Güneş",
    "Aksoy",
    "Işık",
    "Uçar",
    "Bulut",
    "Ünal",
    "Akgül",
    "Karataş",
]
AZ_FIRST_F = [
    "Aynur",
    "Gülnar",
    "Leyla",
    "Səbinə",
    "Nərmin",
    "Günay",
    "Aygün",
    "Xədicə",
    "Şəbnəm",
    "Ülviyyə",
    "Könül",
    "Fidan",
    "Nigar",
    "Aysel",
    "Zəhra",
]
AZ_FIRST_M = [
    "Əli",
    "Elvin",
    "Rəşad",
    "Orxan",
    "Tural",
    "Kamran",
    "Fərid",
    "Elçin",
    "Vüqar",
    "Rauf",
    "Səməd",
    "Cavid",
    "İlkin",
    "Nicat",
    "Ülvi",
]
AZ_LAST = [
    "Məmmədov",
    "Əliyev",
    "Həsənov",
    "Hüseynov",
    "Quliyev",
    "İsmayılov",
    "Abbasov",
    "Rzayev",
    "Cəfərov",
    "Süleymanov",
    "Qasımov",
    "Nəsirov",
    "Bağırov",
    "Kərimov",
    "Əhmədov",
]
TR_CITIES = [
    ("İstanbul", ["Kadıköy", "Üsküdar", "Beşiktaş", "Şişli", "Bakırköy", "Ataşehir"], "34"),
    ("Ankara", ["Çankaya", "Keçiören", "Yenimahalle"], "06"),
    ("İzmir", ["Karşıyaka", "Bornova", "Konak"], "35"),
    ("Bursa", ["Nilüfer", "Osmangazi"], "16"),
    ("Antalya", ["Muratpaşa", "Konyaaltı"], "07"),
    ("Iğdır", ["Merkez"], "76"),
    ("Isparta", ["Merkez", "Eğirdir"], "32"),
    ("Şanlıurfa", ["Eyyübiye"], "63"),
]
AZ_CITIES = [
    ("Bakı", ["Nəsimi", "Yasamal", "Xətai", "Binəqədi", "Səbail"], "10"),
    ("Gəncə", ["Kəpəz"], "20"),
    ("Sumqayıt", [""], "50"),
    ("Şəki", [""], "55"),
    ("Xırdalan", [""], "01"),
]
STREETS_TR = ["Atatürk Cad.", "Cumhuriyet Cad.", "İstiklal Cad.", "Gül Sok.", "Çınar Sok.", "Bağdat Cad."]
STREETS_AZ = ["Nizami küç.", "Füzuli küç.", "Azadlıq pr.", "Neftçilər pr.", "Üzeyir Hacıbəyov küç."]
COMPANY_WORDS = [
    "Anadolu",
    "Ege",
    "Marmara",
    "Doğu",
    "Yıldız",
    "Güneş",
    "Kuzey",
    "Deniz",
    "Bereket",
    "Özgür",
    "Işık",
    "Çınar",
    "Xəzər",
    "Qafqaz",
    "Şirvan",
    "Odlar",
    "Günəş",
    "Araz",
]
COMPANY_KINDS = [
    "Gıda",
    "Tekstil",
    "İnşaat",
    "Lojistik",
    "Yazılım",
    "Enerji",
    "Turizm",
    "Mobilya",
    "Ticarət",
    "Tikinti",
    "Kimya",
    "Otomotiv",
]
TR_SUFFIX = ["A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."]
AZ_SUFFIX = ["MMC", "ASC", "QSC"]
SOURCES = ["web", "fuar", "referans", "telefon", "kampanya", "bayi"]
TAGS = ["VIP", "bayi", "toptan", "perakende", "kurumsal", "potansiyel", "sadık müşteri", "İhracat"]


@dataclass
class FakePerson:
    first_name: str
    last_name: str
    gender: str
    country: str
    city: str
    district: str
    street: str
    postal_code: str
    phone: str
    phone_e164: str
    phone_display: str
    email: str
    birth_year: int
    tckn: str


@dataclass
class FakeCompany:
    name: str
    short_name: str
    country: str
    city: str
    district: str
    street: str
    postal_code: str
    phone: str
    phone_e164: str
    phone_display: str
    email: str
    tax_number: str


def _tckn(rng: random.Random) -> str:
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    d10 = ((sum(digits[0:9:2]) * 7) - sum(digits[1:8:2])) % 10
    d11 = (sum(digits) + d10) % 10
    return "".join(map(str, digits)) + f"{d10}{d11}"


def _vkn(rng: random.Random) -> str:
    from stdnum.tr import vkn

    while True:
        base = f"{rng.randint(0, 999_999_999):09d}"
        for last in range(10):
            if vkn.is_valid(base + str(last)):
                return base + str(last)


def _ascii(text: str) -> str:
    from velinimet.core.text import fold

    return fold(text).replace(" ", "")


def fake_person(rng: random.Random, serial: int) -> FakePerson:
    azerbaijani = rng.random() < 0.3
    female = rng.random() < 0.5
    if azerbaijani:
        first = rng.choice(AZ_FIRST_F if female else AZ_FIRST_M)
        last = rng.choice(AZ_LAST)
        if female:
            last = last[:-2] + "ova" if last.endswith("ov") else last[:-2] + "eva" if last.endswith("ev") else last
        city, districts, region = rng.choice(AZ_CITIES)
        code, a, b, c = (
            rng.choice(["50", "51", "55", "70", "77"]),
            rng.randint(200, 999),
            rng.randint(10, 99),
            rng.randint(10, 99),
        )
        phone = f"+994 {code} {a} {b} {c}"
        e164, display = f"+994{code}{a}{b}{c}", phone
        postal = f"AZ{region}{rng.randint(0, 99):02d}"
        street = f"{rng.choice(STREETS_AZ)} {rng.randint(1, 150)}"
    else:
        first = rng.choice(TR_FIRST_F if female else TR_FIRST_M)
        last = rng.choice(TR_LAST)
        city, districts, region = rng.choice(TR_CITIES)
        code, a, b, c = (
            rng.choice(["530", "532", "533", "535", "542", "544", "552", "555"]),
            rng.randint(200, 999),
            rng.randint(10, 99),
            rng.randint(10, 99),
        )
        phone = f"0{code} {a} {b} {c}"
        e164, display = f"+90{code}{a}{b}{c}", phone
        postal = f"{region}{rng.randint(0, 999):03d}"
        street = f"{rng.choice(STREETS_TR)} No:{rng.randint(1, 120)}"
    email = f"{_ascii(first)}.{_ascii(last)}{serial}@{rng.choice(['gmail.com', 'hotmail.com', 'yandex.com', 'mail.az', 'outlook.com'])}"
    return FakePerson(
        first,
        last,
        "female" if female else "male",
        "AZ" if azerbaijani else "TR",
        city,
        rng.choice(districts),
        street,
        postal,
        phone,
        e164,
        display,
        email,
        rng.randint(1950, 2004),
        "" if azerbaijani else _tckn(rng),
    )


def fake_company(rng: random.Random, serial: int) -> FakeCompany:
    azerbaijani = rng.random() < 0.3
    word, kind = rng.choice(COMPANY_WORDS), rng.choice(COMPANY_KINDS)
    short = f"{word} {kind}"
    if azerbaijani:
        city, districts, region = rng.choice(AZ_CITIES)
        name = f"{short} {rng.choice(AZ_SUFFIX)}"
        a, b, c = rng.randint(400, 599), rng.randint(10, 99), rng.randint(10, 99)
        phone = f"+994 12 {a} {b} {c}"
        e164, display = f"+99412{a}{b}{c}", phone
        postal = f"AZ{region}{rng.randint(0, 99):02d}"
        street = f"{rng.choice(STREETS_AZ)} {rng.randint(1, 150)}"
        tax = ""
    else:
        city, districts, region = rng.choice(TR_CITIES)
        name = f"{short} {rng.choice(TR_SUFFIX)}"
        code, a, b, c = (
            rng.choice(["212", "216", "312", "232", "224"]),
            rng.randint(200, 999),
            rng.randint(10, 99),
            rng.randint(10, 99),
        )
        phone = f"0{code} {a} {b} {c}"
        e164, display = f"+90{code}{a}{b}{c}", f"({phone[:4]}) {phone[5:]}"
        postal = f"{region}{rng.randint(0, 999):03d}"
        street = f"{rng.choice(STREETS_TR)} No:{rng.randint(1, 120)}"
        tax = _vkn(rng)
    email = f"info{serial}@{_ascii(word)}{_ascii(kind)}.com.tr"
    return FakeCompany(
        name,
        short,
        "AZ" if azerbaijani else "TR",
        city,
        rng.choice(districts),
        street,
        postal,
        phone,
        e164,
        display,
        email,
        tax,
    )
