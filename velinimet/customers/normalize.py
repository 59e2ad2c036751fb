"""Parsers and normalisers for what people type: phones, e-mails, Turkish and Azerbaijani identifiers.

Each returns the stored form or raises ``InvalidValue`` with a translated, specific message.
"""

from __future__ import annotations

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.az import voen as stdnum_voen
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.tr import tckimlik
from stdnum.tr import vkn as stdnum_vkn

DEFAULT_REGION = "TR"
_DIGITS = re.compile(r"\D+")


class InvalidValue(ValueError):
    """A value that cannot be stored; ``str(exc)`` is the translated reason."""


def phone_digits(raw: str) -> str:
    return _DIGITS.sub("", raw or "")


#: How many last digits of a number find it (``Phone.tail``): a local number without its area code.
PHONE_TAIL = 7


def phone_tail(e164: str) -> str:
    """The last ``PHONE_TAIL`` digits of a stored number: "555 44 33" finds +90 532 555 44 33."""
    return phone_digits(e164)[-PHONE_TAIL:]


def email_domain(key: str) -> str:
    """The domain of an e-mail key (``Email.domain``): "@firma.com.tr" finds everyone there."""
    return key.rpartition("@")[2]


def parse_phone(raw: str, region: str = DEFAULT_REGION) -> phonenumbers.PhoneNumber:
    """Parse a number typed any usual way: "0532 123 45 67", "+90 (532) 1234567", "5321234567",
    "00994 50 123 45 67", "994501234567". Raises InvalidValue when it is not a valid number."""
    text = (raw or "").strip()
    if not text:
        raise InvalidValue(_("Enter a phone number."))
    number_part = re.split(r"(?:ext|#|x)", text, maxsplit=1, flags=re.IGNORECASE)[0]
    if len(text) > 40 or re.search(r"[^\d\s()+\-./]", number_part):
        raise InvalidValue(_("“%(value)s” is not a phone number.") % {"value": text[:40]})
    digits = phone_digits(text)
    candidates = [text]
    if text.startswith("00"):
        candidates.insert(0, "+" + digits[2:])
    elif not text.startswith("+"):
        for code in ("90", "994"):
            if digits.startswith(code) and len(digits) == len(code) + (10 if code == "90" else 9):
                candidates.append("+" + digits)
    # A national number that is not valid at home is tried as Azerbaijani/Turkish: their national
    # lengths differ (TR 0 + 10 digits, AZ 0 + 9), so "050 123 45 67" cannot be mistaken.
    regions = [region] + [r for r in ("TR", "AZ") if r != region]
    for candidate in candidates:
        for reg in regions if not candidate.startswith("+") else [region]:
            try:
                number = phonenumbers.parse(candidate, reg)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return number
    raise InvalidValue(
        _("“%(value)s” is not a valid phone number. Example: 0532 123 45 67 or +994 50 123 45 67.") % {"value": text}
    )


def normalize_phone(raw: str, region: str = DEFAULT_REGION, *, home: str = "") -> tuple[str, str]:
    """(E.164, display) — display is the national format at ``home`` (default: ``region``), the
    international one abroad. ``region``: where a number without a country code is tried first."""
    number = parse_phone(raw, region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    at_home = phonenumbers.region_code_for_number(number) == (home or region)
    fmt = phonenumbers.PhoneNumberFormat.NATIONAL if at_home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return e164, phonenumbers.format_number(number, fmt)


def phone_region(raw: str, region: str = DEFAULT_REGION) -> str:
    """The country (ISO code) of a phone number typed any usual way, "" when it is not a valid number or a
    number shared by several countries ("+1" without an area code that tells)."""
    try:
        number = parse_phone(raw, region)
    except InvalidValue:
        return ""
    found = phonenumbers.region_code_for_number(number)
    return found if found and found != "001" else ""


def phone_lookup_keys(raw: str, region: str = DEFAULT_REGION) -> list[str]:
    """E.164 forms a search for ``raw`` should try (empty when it is not a phone number at all)."""
    try:
        return [normalize_phone(raw, region)[0]]
    except InvalidValue:
        return []


def normalize_email(raw: str) -> tuple[str, str]:
    """(address as stored, lookup key). The domain is lower-cased as the key is; the local part is kept as
    typed."""
    text = (raw or "").strip()
    try:
        validate_email(text)
    except ValidationError as exc:
        raise InvalidValue(_("“%(value)s” is not a valid e-mail address.") % {"value": text[:60]}) from exc
    local, _at, domain = text.rpartition("@")
    address = f"{local}@{email_key(domain)}"
    return address, email_key(address)


def email_key(address: str) -> str:
    """The one key e-mail addresses are matched by (``Email.key``: duplicate rules, search, caller lookup,
    import): the address lower-cased, "ALİ@İSTANBUL.COM" and "ali@istanbul.com" alike.

    Not Turkish lower-casing (``core.text.tr_lower``): an address is not Turkish text, and
    "INFO@ISTANBUL.COM" is info@istanbul.com, never "ınfo@ıstanbul.com". Only the dotted capital İ, which
    Turkish caps lock types for i, is mapped first, because ``str.lower()`` would keep its dot as a
    combining character ("i̇stanbul.com", another domain)."""
    return address.strip().replace("İ", "i").lower()


def bare_identifier(raw: str) -> str:
    """An identifier without the separators people write it with from a card or an invoice:
    "100 000 001 46", "1234-567-890", "TR33 0006 …" (how identifiers are stored and looked up)."""
    return "".join(ch for ch in (raw or "") if not ch.isspace() and ch not in "-./")


def _stdnum(module: object, raw: str, label: str) -> str:
    value = bare_identifier(raw)
    if not value:
        return ""
    try:
        return module.validate(value)  # type: ignore[attr-defined, no-any-return]
    except InvalidLength as exc:
        raise InvalidValue(_("%(label)s has the wrong number of digits.") % {"label": label}) from exc
    except InvalidChecksum as exc:
        raise InvalidValue(_("%(label)s is not valid: its check digits do not match.") % {"label": label}) from exc
    except (InvalidFormat, InvalidComponent) as exc:
        raise InvalidValue(_("%(label)s is not in the right format.") % {"label": label}) from exc
    except StdnumError as exc:
        raise InvalidValue(_("%(label)s is not valid.") % {"label": label}) from exc


def normalize_tckn(raw: str) -> str:
    return _stdnum(tckimlik, raw, _("The TCKN (Turkish identity number)"))


def normalize_vkn(raw: str) -> str:
    """A company's Turkish tax number: a VKN of 10 digits, or the 11-digit TCKN of a sole proprietorship
    (şahıs şirketi), whose owner's identity number is its tax number. Each is checked by its own check
    digits; any other length is refused naming both."""
    value = bare_identifier(raw)
    if len(value) == 11 and value.isdigit():
        return _stdnum(tckimlik, value, _("An 11-digit tax number (a sole proprietor's TCKN)"))
    if value and len(value) != 10:
        raise InvalidValue(
            _("A Turkish tax number has 10 digits (VKN), or 11 for a sole proprietorship (its owner's TCKN).")
        )
    return _stdnum(stdnum_vkn, value, _("The VKN (Turkish tax number)"))


def normalize_voen(raw: str) -> str:
    return _stdnum(stdnum_voen, raw, _("The VÖEN (Azerbaijani tax number)"))


#: The date formats people type, in the order tried: Turkish/Azerbaijani day first, then ISO.
DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d")


def parse_date(raw: object) -> datetime.date:
    """A date typed as 31.12.1980, 31/12/1980, 31-12-1980 or 1980-12-31 (form, API, import and custom
    fields: one rule). Raises InvalidValue naming the formats accepted."""
    if isinstance(raw, datetime.date):
        return raw
    text = str(raw or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidValue(
        _("“%(value)s” is not a date: write it as DD.MM.YYYY (31.12.1980), DD/MM/YYYY or YYYY-MM-DD.")
        % {"value": text[:30]}
    )


def normalize_iban(raw: str) -> str:
    return _stdnum(stdnum_iban, raw, _("The IBAN"))
