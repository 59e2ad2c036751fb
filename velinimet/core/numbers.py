"""Numbers as a reader writes them: 1.250.000,50 (Turkish), 1 250 000,50 (Azerbaijani), 1,250,000.50 (English).

``format_number()`` shows a number with the separators of ``velinimet/formats/<lang>/formats.py``;
``parse_number()`` reads what a person typed, strictly: digit groups of three, one decimal mark, ASCII
digits. Input that two readings could give different numbers for is refused with a message that shows
the expected form, never read silently as the other number:

- the reader's own form always reads as the reader means it ("1.250" is 1250 in Turkish);
- a plain number with a point for decimals ("1250000.5", what files and programs write) is read in
  Turkish and Azerbaijani too, but only where the point cannot be a digit-group mark (not "1.250");
- spaces group digits in every language; a point does too where the comma marks decimals;
- groups of the other kind ("1,250,000.50" in Turkish), mixed marks or groups of other sizes are errors.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language, gettext

#: What separates digit groups in a reader's input: the format's own mark, and for a space any space.
SPACES = " \xa0\u202f\u2009"
_MINUS = "-\u2212"


class NumberError(ValueError):
    """Text that is not a number in the reader's form; ``str()`` is the message to show."""


def separators(language: str | None = None) -> tuple[str, str]:
    """(decimal mark, group mark) of ``language`` (default: the active language)."""
    lang = language or get_language()
    return (
        str(formats.get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)),
        str(formats.get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)),
    )


def format_number(value: int | float | Decimal, *, decimals: int | None = None, language: str | None = None) -> str:
    """``value`` with the reader's decimal mark and digit groups (``decimals``: that many places)."""
    lang = language or get_language()
    if isinstance(value, float):
        value = Decimal(repr(value))  # 0.1 is "0,1", not 0,1000000000000000055511151231257827
    decimal_mark, group_mark = separators(lang)
    sign = "-" if value < 0 else ""
    number = abs(Decimal(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_EVEN)
    whole, _point, fraction = f"{number:f}".partition(".")
    groups = [whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)][::-1]
    return sign + group_mark.join(groups) + (decimal_mark + fraction if fraction else "")


def _error(text: str, language: str) -> NumberError:
    example = format_number(Decimal("1250000.50"), decimals=2, language=language)
    message = gettext("“%(value)s” is not a number; write it like %(example)s.")
    return NumberError(message % {"value": text, "example": example})


def _grouped(whole: str, group_marks: str) -> str | None:
    """The digits of ``whole`` written with digit groups of three marked by one of ``group_marks``
    (one kind throughout), or ungrouped; None when it is neither."""
    if whole.isdigit():
        return whole
    marks = {ch for ch in whole if not ch.isdigit()}
    if len(marks) != 1 or not marks <= set(group_marks):
        return None
    head, *rest = whole.split(marks.pop())
    if not (1 <= len(head) <= 3 and head.isdigit()) or not all(len(g) == 3 and g.isdigit() for g in rest):
        return None
    return head + "".join(rest)


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """The number ``text`` means to a reader of ``language`` (default: the active language); ``NumberError``
    (with the form it expects) when it is not one, or could be read as two different numbers."""
    lang = language or get_language()
    raw = text
    text = text.strip(SPACES + "\t")
    if not text.isascii():
        text = text.translate({ord(ch): " " for ch in SPACES[1:]}).replace("\u2212", "-")
        if not text.isascii():  # other scripts' digits, letters
            raise _error(raw, lang)
    sign = ""
    if text and text[0] in _MINUS + "+":
        sign, text = ("-" if text[0] != "+" else ""), text[1:]
    decimal_mark, group_mark = separators(lang)
    # Spaces group digits in every language (1 250 000); with a decimal comma a point groups them too
    # (1.250.000,50 reads in Azerbaijani as in Turkish).
    group_marks = " " + ("" if group_mark in SPACES else group_mark) + ("." if decimal_mark == "," else "")
    digits: str | None = None
    whole, mark, fraction = text.rpartition(decimal_mark)
    if mark and whole and fraction.isdigit() and (whole.isdigit() or not set(whole) & {decimal_mark}):
        grouped = _grouped(whole, group_marks)
        digits = f"{grouped}.{fraction}" if grouped is not None else None
    elif mark and not whole and fraction.isdigit():
        digits = f"0.{fraction}"  # ",5"
    elif not mark:
        grouped = _grouped(text, group_marks)
        if grouped is not None:
            digits = grouped
        elif decimal_mark == "," and re.fullmatch(r"\d+\.(\d{1,2}|\d{4,})", text):
            digits = text  # "1250000.5": a point before other than three digits cannot mark a group
    if digits is None:
        raise _error(raw, lang)
    return Decimal(sign + digits)
