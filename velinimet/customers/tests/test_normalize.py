"""Phones and identifiers: a table of real-world formats, then properties over generated numbers."""

from __future__ import annotations

import random

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from stdnum.tr import tckimlik

from velinimet.customers.fakedata import _tckn, _vkn, fake_company, fake_person
from velinimet.customers.normalize import (
    InvalidValue,
    email_key,
    normalize_email,
    normalize_iban,
    normalize_phone,
    normalize_tckn,
    normalize_vkn,
    normalize_voen,
)

SAME_NUMBER = [
    "0532 123 45 67",
    "+90 (532) 1234567",
    "5321234567",
    "905321234567",
    "00905321234567",
    "0 532 123 45 67",
    "+90-532-123-45-67",
    "(0532) 123 4567",
    "0532.123.45.67",
]


@pytest.mark.parametrize("raw", SAME_NUMBER)
def test_turkish_mobile_in_any_format(raw: str) -> None:
    assert normalize_phone(raw) == ("+905321234567", "0532 123 45 67")


@pytest.mark.parametrize("raw", ["+994 50 123 45 67", "994501234567", "00994501234567", "050 123 45 67"])
def test_azerbaijani_mobile_is_recognised(raw: str) -> None:
    assert normalize_phone(raw)[0] == "+994501234567"


@pytest.mark.parametrize(
    "raw",
    ["", "12", "abc", "0532 123 45 6", "+90 532 123 45 67 89", "0000000000", "javascript:alert(1)", "0532 ABC 45 67"],
)
def test_bad_phone_numbers_are_refused_with_a_message(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        normalize_phone(raw)
    assert str(exc.value)


mobile_prefix = st.sampled_from(["530", "532", "533", "535", "542", "544", "505", "555"])
seven = st.integers(min_value=2_000_000, max_value=9_999_999)
separators = st.sampled_from([" ", "", "-", ".", "  "])


@given(mobile_prefix, seven, separators, st.sampled_from(["0{p}", "+90{p}", "90{p}", "{p}", "0090{p}", "+90 ({p})"]))
def test_every_way_of_writing_a_turkish_mobile_gives_the_same_e164(
    prefix: str, rest: int, sep: str, style: str
) -> None:
    digits = str(rest)
    raw = style.format(p=prefix) + sep + digits[:3] + sep + digits[3:5] + sep + digits[5:]
    assert normalize_phone(raw)[0] == f"+90{prefix}{digits}"


@given(st.text(max_size=30))
def test_phone_normaliser_never_crashes(raw: str) -> None:
    try:
        e164, display = normalize_phone(raw)
    except InvalidValue:
        return
    assert e164.startswith("+") and e164[1:].isdigit()
    assert normalize_phone(e164)[0] == e164  # stable


@given(st.integers(min_value=0, max_value=10_000))
def test_generated_tckn_and_vkn_are_valid_and_a_changed_digit_is_not(seed: int) -> None:
    rng = random.Random(seed)
    tckn = _tckn(rng)
    assert normalize_tckn(tckn) == tckn
    broken = tckn[:-1] + str((int(tckn[-1]) + 1) % 10)
    assert not tckimlik.is_valid(broken)
    with pytest.raises(InvalidValue):
        normalize_tckn(broken)
    vkn = _vkn(rng)
    assert normalize_vkn(vkn) == vkn
    # written the way people copy them from a card or an invoice
    grouped = f"{tckn[:3]} {tckn[3:6]} {tckn[6:9]} {tckn[9:]}"
    separators = rng.choice([" ", "-", ".", "  "])
    assert normalize_tckn(grouped) == tckn
    assert normalize_vkn(separators.join([vkn[:3], vkn[3:6], vkn[6:]])) == vkn


@given(st.text(max_size=15))
def test_identifier_validators_only_raise_invalid_value(raw: str) -> None:
    for normalizer in (normalize_tckn, normalize_vkn, normalize_voen, normalize_iban):
        try:
            normalizer(raw)
        except InvalidValue as exc:
            assert str(exc)


@translation.override("en")
def test_identifier_messages_say_what_is_wrong() -> None:
    with pytest.raises(InvalidValue, match="digits"):
        normalize_tckn("1234")
    with pytest.raises(InvalidValue, match="check"):
        normalize_tckn("12345678901")
    with pytest.raises(InvalidValue, match="check"):
        normalize_iban("TR33 0006 1005 1978 6457 8413 27")
    assert normalize_iban("tr33 0006 1005 1978 6457 8413 26") == "TR330006100519786457841326"
    assert normalize_voen("1400057421") == "1400057421"


def test_email_keeps_local_part_and_lowers_domain() -> None:
    assert normalize_email(" Ayse.Yilmaz@Example.COM.TR ") == (
        "Ayse.Yilmaz@example.com.tr",
        "ayse.yilmaz@example.com.tr",
    )
    with pytest.raises(InvalidValue):
        normalize_email("not an email")
    # caps lock on a Turkish keyboard: İ is the upper case of i, not i with a combining dot
    assert normalize_email("ALİ@İSTANBUL.COM") == ("ALİ@istanbul.com", "ali@istanbul.com")


@given(st.text(alphabet="abcıiİIçğöşüABCÇĞÖŞÜ.-", min_size=1, max_size=12).filter(lambda d: d[0].isalpha()))
def test_email_key_never_holds_a_combining_dot(name: str) -> None:
    try:
        address, key = normalize_email(f"{name}@{name}.com.tr")
    except InvalidValue:
        return
    assert "\u0307" not in address and "\u0307" not in key
    assert key == key.lower()


def test_the_email_key_is_not_turkish_lower_casing() -> None:
    # An address is not Turkish text: an ASCII I is i (ınfo@ıstanbul.com would be another mailbox).
    assert email_key("INFO@ISTANBUL.COM") == email_key("info@istanbul.com") == "info@istanbul.com"
    assert email_key("İNFO@İSTANBUL.COM") == "info@istanbul.com"
    assert normalize_email("INFO@ISTANBUL.COM")[1] == normalize_email("İnfo@İstanbul.com")[1] == "info@istanbul.com"


@given(st.text(max_size=40))
def test_email_key_is_idempotent_and_the_key_of_the_stored_address(text: str) -> None:
    key = email_key(text)
    assert email_key(key) == key
    try:
        address, stored_key = normalize_email(text)
    except InvalidValue:
        return
    assert stored_key == email_key(address) == email_key(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_email_key_of_an_ascii_address_is_its_plain_lower_case(text: str) -> None:
    assert email_key(text) == text.strip().lower()


@given(st.integers(min_value=0, max_value=100_000))
def test_seed_generator_stores_what_the_normalisers_would(seed: int) -> None:
    rng = random.Random(seed)
    for fake in (fake_person(rng, seed), fake_company(rng, seed)):
        assert normalize_phone(fake.phone) == (fake.phone_e164, fake.phone_display)
        assert normalize_email(fake.email) == (fake.email, email_key(fake.email))


# --- a company's tax number: a VKN, or a sole proprietorship's TCKN ---------------------------------------
@given(st.integers(min_value=0, max_value=10_000), st.sampled_from(["", " ", "-", "."]))
def test_a_sole_proprietors_tckn_is_a_companys_tax_number(seed: int, sep: str) -> None:
    tckn = _tckn(random.Random(seed))
    assert normalize_vkn(sep.join([tckn[:3], tckn[3:6], tckn[6:9], tckn[9:]])) == tckn


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10), st.integers(1, 9))
def test_an_11_digit_tax_number_with_a_changed_digit_is_refused_as_a_tckn(seed: int, at: int, step: int) -> None:
    """The TCKN's last check digit is the sum of the others mod 10: any one digit changed is caught."""
    tckn = _tckn(random.Random(seed))
    broken = tckn[:at] + str((int(tckn[at]) + step) % 10) + tckn[at + 1 :]
    with translation.override("en"), pytest.raises(InvalidValue, match="TCKN"):
        normalize_vkn(broken)


@given(st.text(alphabet="0123456789", min_size=1, max_size=14).filter(lambda s: len(s) not in (10, 11)))
def test_a_tax_number_of_another_length_names_both_lengths(digits: str) -> None:
    with translation.override("en"), pytest.raises(InvalidValue, match="10 digits.*11"):
        normalize_vkn(digits)


@given(st.text(max_size=15))
def test_a_valid_tax_number_is_a_valid_vkn_or_tckn_and_stable(raw: str) -> None:
    from stdnum.tr import vkn as stdnum_vkn

    try:
        value = normalize_vkn(raw)
    except InvalidValue as exc:
        assert str(exc)
        return
    assert value == "" or stdnum_vkn.is_valid(value) or tckimlik.is_valid(value)
    assert normalize_vkn(value) == value


@translation.override("en")
def test_tax_number_messages_say_which_rule_failed() -> None:
    with pytest.raises(InvalidValue, match="check digits"):
        normalize_vkn("12345678901")  # 11 digits, not a TCKN
    with pytest.raises(InvalidValue, match="VKN.*check digits"):
        normalize_vkn("1234567891")
    assert normalize_vkn("100 000 001 46") == "10000000146"
