"""fold(): the one search/dedup key. Table of Turkish and Azerbaijani cases, then properties."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.text import fold, tr_lower, tr_upper

EXAMPLES = [
    ("ŞÜKRÜ", "sukru"),
    ("şükrü", "sukru"),
    ("Sukru", "sukru"),
    ("ISPARTA", "isparta"),
    ("Isparta", "isparta"),
    ("ısparta", "isparta"),
    ("İSTANBUL", "istanbul"),
    ("İstanbul", "istanbul"),
    ("Işık", "isik"),
    ("IŞIK", "isik"),
    ("Iğdır", "igdir"),
    ("ÇAĞLAYAN", "caglayan"),
    ("Gülşen Öztürk", "gulsen ozturk"),
    ("Əli Məmmədov", "eli memmedov"),
    ("ƏLİ MƏMMƏDOV", "eli memmedov"),
    ("Gəncə", "gence"),
    ("Xırdalan", "xirdalan"),
    ("Quba", "quba"),
    ("  Ahmet   Can  ", "ahmet can"),
    ("Öz-Tür A.Ş.", "oz tur a s"),
    ("O'Neil & Sons, Ltd.", "o neil sons ltd"),
    ("Straße", "strasse"),
    ("Ørsted", "orsted"),
    ("Łódź", "lodz"),
    ("İ̇", "i"),  # İ followed by a stray combining dot
    ("", ""),
    ("0532 123 45 67", "0532 123 45 67"),
]


@pytest.mark.parametrize(("text", "key"), EXAMPLES)
def test_fold_table(text: str, key: str) -> None:
    assert fold(text) == key


def test_fold_of_none_is_empty() -> None:
    assert fold(None) == ""


def test_sukru_variants_share_one_key() -> None:
    assert len({fold(s) for s in ["ŞÜKRÜ", "şükrü", "Sukru", "SUKRU", "Şükrü"]}) == 1


def test_turkish_case_helpers() -> None:
    assert tr_lower("İSTANBUL IĞDIR") == "istanbul ığdır"
    assert tr_upper("istanbul ığdır") == "İSTANBUL IĞDIR"


@pytest.mark.parametrize(
    ("text", "lower"),
    [("ISTANBUL", "ıstanbul"), ("İSTANBUL", "istanbul"), ("IŞIK", "ışık"), ("İLKER", "ilker"), ("ƏLİ", "əli")],
)
def test_tr_lower_is_turkish_lower_case(text: str, lower: str) -> None:
    """The one Turkish lower-case helper: I is ı and İ is i, with no combining dot left behind."""
    assert tr_lower(text) == lower


TURKIC = "abcçdeəfgğhxıijkqlmnoöprsştuüvyzABCÇDEƏFGĞHXIİJKQLMNOÖPRSŞTUÜVYZ"
LATIN1_LETTERS = "".join(chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha())
latin_text = st.text(alphabet=TURKIC + LATIN1_LETTERS + string.digits + " .,-'&/()", max_size=40)
turkic_text = st.text(alphabet=TURKIC + string.digits + " .,-'", max_size=40)


@given(st.text(max_size=60))
def test_fold_never_raises_and_is_idempotent(text: str) -> None:
    key = fold(text)
    assert isinstance(key, str)
    assert fold(key) == key


@given(latin_text)
def test_fold_of_latin_text_is_ascii(text: str) -> None:
    assert fold(text).isascii()


@given(turkic_text)
def test_fold_is_stable_under_turkish_case_changes(text: str) -> None:
    assert fold(tr_upper(text)) == fold(text) == fold(tr_lower(text))


@given(turkic_text)
def test_fold_is_stable_under_python_case_changes(text: str) -> None:
    assert fold(text.upper()) == fold(text) == fold(text.lower())


@given(st.text(max_size=60))
def test_tr_lower_is_idempotent_and_agrees_with_fold(text: str) -> None:
    lower = tr_lower(text)
    assert tr_lower(lower) == lower
    assert fold(lower) == fold(text)  # lowering first never changes the search key
    assert ("\u0307" in lower) == ("\u0307" in text)  # İ never becomes i + a combining dot


@given(turkic_text)
def test_tr_lower_and_tr_upper_round_trip_on_turkic_text(text: str) -> None:
    assert tr_lower(tr_upper(text)) == tr_lower(text)
    assert tr_upper(tr_lower(text)) == tr_upper(text)
    assert tr_lower(text).islower() or not any(ch.isalpha() for ch in text)


@given(st.text(max_size=60))
def test_fold_has_no_outer_or_double_spaces(text: str) -> None:
    key = fold(text)
    assert key == key.strip()
    assert "  " not in key


def test_validation_errors_become_field_errors() -> None:
    from django.core.exceptions import ValidationError

    from velinimet.core.exceptions import from_validation_error

    err = from_validation_error(ValidationError({"email": ["Bad e-mail."], "__all__": ["Whole form."]}))
    assert err.errors == {"email": ["Bad e-mail."], "non_field_errors": ["Whole form."]}
    assert from_validation_error(ValidationError("Plain.")).errors == {"non_field_errors": ["Plain."]}


# --- strip_invisible(): the one stripper of invisible formatting --------------------------------------
import unicodedata  # noqa: E402

from velinimet.core.text import INVISIBLE_KEPT, strip_invisible  # noqa: E402

_INVISIBLE = st.sampled_from(
    ["\u202e", "\u202a", "\u202d", "\u2066", "\u2069", "\u200b", "\u200e", "\u200f", "\ufeff", "\u00ad", "\u061c"]
    + ["\U000e0041", "\x07", "\x1b", "\x00"]
)


def _is_removed(ch: str) -> bool:
    return ch not in INVISIBLE_KEPT and unicodedata.category(ch) in ("Cf", "Cc")


@given(st.text())
def test_strip_invisible_leaves_no_format_character_but_the_kept_ones_and_is_idempotent(text: str) -> None:
    out = strip_invisible(text)
    assert not any(_is_removed(ch) for ch in out)
    assert strip_invisible(out) == out


@given(st.text(st.characters(exclude_categories=("Cf", "Cc", "Cs"))), st.lists(st.tuples(st.integers(0), _INVISIBLE)))
def test_strip_invisible_returns_the_visible_text_unchanged(visible: str, inserts: list[tuple[int, str]]) -> None:
    text = visible
    for position, ch in inserts:
        at = position % (len(text) + 1)
        text = text[:at] + ch + text[at:]
    assert strip_invisible(text) == visible


def test_strip_invisible_keeps_the_joiners_persian_and_emoji_need() -> None:
    assert strip_invisible("می\u200cخواهم") == "می\u200cخواهم"
    assert strip_invisible("👩\u200d💻") == "👩\u200d💻"
    assert strip_invisible("A\u202eli\u200b") == "Ali"


def test_fold_ignores_invisible_formatting_inside_a_word() -> None:
    assert fold("Yıl\u00admaz") == fold("Yıl\u200bmaz") == "yilmaz"
