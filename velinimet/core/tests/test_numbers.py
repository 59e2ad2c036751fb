"""core.numbers: numbers as Turkish, Azerbaijani and English readers write them. Table, then properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.numbers import NumberError, format_number, parse_number

READS = [
    ("tr", "1.250.000,50", "1250000.50"),
    ("tr", "1250000,50", "1250000.50"),
    ("tr", "1 250 000,50", "1250000.50"),
    ("tr", "1.250", "1250"),  # the reader's own form: a point groups digits
    ("tr", "1,25", "1.25"),
    ("tr", "1250000.5", "1250000.5"),  # a file's plain number: the point cannot be a group mark here
    ("tr", "3.14", "3.14"),
    ("tr", "-3,5", "-3.5"),
    ("tr", "−3,5", "-3.5"),  # U+2212 minus
    ("tr", ",5", "0.5"),
    ("tr", " 42 ", "42"),
    ("az", "1 250 000,50", "1250000.50"),
    ("az", "1\xa0250\xa0000,50", "1250000.50"),  # no-break space
    ("az", "1\u202f250\u202f000,50", "1250000.50"),  # narrow no-break space
    ("az", "1.250.000,50", "1250000.50"),
    ("az", "0,5", "0.5"),
    ("en", "1,250,000.50", "1250000.50"),
    ("en", "1250000.50", "1250000.50"),
    ("en", "1 250 000.50", "1250000.50"),
    ("en", ".5", "0.5"),
]

REFUSED = [
    ("tr", "1,250,000.50"),  # English groups to a Turkish reader: never guessed
    ("tr", "1.25.000"),
    ("tr", "1.2345.678"),
    ("tr", "1.250,000,5"),
    ("tr", "1e5"),
    ("tr", "١٢٣"),  # Arabic-Indic digits
    ("tr", ""),
    ("tr", "-"),
    ("tr", "1,2,3"),
    ("az", "1 250.000,50"),  # mixed group marks
    ("az", "1,250.50"),
    ("en", "1.250,50"),  # a European number to an English reader
    ("en", "1,25"),  # a decimal comma or a group of two? refused
    ("en", "1.250.000"),
    ("en", "nan"),
    ("en", "inf"),
]


@pytest.mark.parametrize(("language", "text", "number"), READS)
def test_numbers_read_in_the_readers_form(language: str, text: str, number: str) -> None:
    assert parse_number(text, language=language) == Decimal(number)


@pytest.mark.parametrize(("language", "text"), REFUSED)
def test_ambiguous_or_foreign_numbers_are_refused_with_the_expected_form(language: str, text: str) -> None:
    with pytest.raises(NumberError) as refused:
        parse_number(text, language=language)
    example = {"tr": "1.250.000,50", "az": "1\xa0250\xa0000,50", "en": "1,250,000.50"}[language]
    assert example in str(refused.value)


@pytest.mark.parametrize(
    ("language", "shown"), [("tr", "1.250.000,50"), ("az", "1\xa0250\xa0000,50"), ("en", "1,250,000.50")]
)
def test_numbers_show_in_the_readers_form(language: str, shown: str) -> None:
    assert format_number(Decimal("1250000.50"), language=language) == shown
    assert format_number(1250000.5, decimals=2, language=language) == shown
    assert format_number(-0.1, language=language) == "-0" + shown[-3] + "1"
    assert format_number(999, language=language) == "999"


languages = st.sampled_from(["tr", "az", "en"])
numbers = st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=4)


@given(languages, numbers)
def test_format_then_parse_gives_the_number_back(language: str, number: Decimal) -> None:
    assert parse_number(format_number(number, language=language), language=language) == number


@given(languages, numbers)
def test_the_plain_form_of_files_reads_as_that_number_or_in_the_readers_own_form(
    language: str, number: Decimal
) -> None:
    """ "1250000.5" (what a program writes) is that number in every language, or a clear error; the one
    exception is the reader's own form: to a Turkish or Azerbaijani reader "1.250" is 1250, as they write
    it (and as the lists show it), so a point before exactly three digits groups them."""
    plain = f"{number.normalize():f}"
    try:
        read = parse_number(plain, language=language)
    except NumberError:
        return
    whole, _point, fraction = plain.lstrip("-").partition(".")
    if language != "en" and len(fraction) == 3 and len(whole) <= 3:
        assert read == Decimal(plain.replace(".", ""))
    else:
        assert read == number


@given(languages, st.text(max_size=30))
def test_parse_never_raises_anything_but_a_number_error(language: str, text: str) -> None:
    try:
        value = parse_number(text, language=language)
    except NumberError as refused:
        assert str(refused)
    else:
        assert value.is_finite()


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=99))
def test_an_english_number_is_never_read_as_another_number_by_a_turkish_reader(whole: int, cents: int) -> None:
    english = format_number(Decimal(whole) + Decimal(cents) / 100, decimals=2, language="en")
    try:
        read = parse_number(english, language="tr")
    except NumberError:
        return
    assert read == Decimal(whole) + Decimal(cents) / 100  # only when it could not be misread ("5.25")
