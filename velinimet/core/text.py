"""Text folding: the one normaliser for search keys and duplicate detection.

Turkish and Azerbaijani need their own case rules before anything else: "İ" lowers to "i" and
"I" to "ı" (Python's str.lower() gives "i̇" and "i"), then diacritics go, so that "ŞÜKRÜ",
"şükrü" and "Sukru" share one key, and so do "ISPARTA", "Isparta" and "ısparta".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

_TR_LOWER = str.maketrans("İI", "iı")
_TR_UPPER = str.maketrans("iı", "İI")
# Latin letters that carry no combining mark in Unicode, so NFKD cannot strip them.
_LATIN_EXTRA = {
    "ı": "i", "ə": "e", "ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ŧ": "t", "ŀ": "l",
    "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th", "ð": "d", "ŋ": "n", "ĸ": "k", "ſ": "s",
    "ɨ": "i", "ʉ": "u", "ɵ": "o", "ƒ": "f", "ɛ": "e", "ɔ": "o", "ǝ": "e",
}  # fmt: skip
_LATIN_WORDS = {"SCHWA": "e", "EZH": "z", "ESH": "s", "ETH": "d", "THORN": "th", "YOGH": "y", "WYNN": "w", "ENG": "n"}
_SPACES = re.compile(r"\s+")
# Invisible characters kept by ``strip_invisible()``: the zero-width non-joiner and joiner change how Persian,
# Arabic-script and Indic names are spelled and join emoji sequences; they never reorder text. Every other
# format character goes (bidi overrides and isolates such as U+202E, marks, zero-width space, BOM, soft
# hyphen, tag characters), and so do control characters other than tab, line feed and carriage return.
INVISIBLE_KEPT = frozenset("\u200c\u200d\t\n\r")
_ASCII_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    """Fold one lower-cased, mark-free character: a key fragment, a space, or the character."""
    if ch in _LATIN_EXTRA:
        return _LATIN_EXTRA[ch]
    category = unicodedata.category(ch)
    if category[0] == "N":
        digit = unicodedata.digit(ch, None)
        return str(digit) if digit is not None else " "
    if category == "Cf":
        return ""  # invisible formatting (soft hyphen, zero-width space, bidi marks): not a word boundary
    if category[0] != "L" or category == "Lm":
        return " "  # punctuation, symbols, modifier letters (ʼ ˆ), separators: word boundaries in a key
    if ch.isascii():
        return ch
    name = unicodedata.name(ch, "")
    if name.startswith("LATIN "):
        # e.g. "LATIN LETTER SMALL CAPITAL R", "LATIN SMALL LETTER TURNED A": take the base letter.
        words = name.split(" WITH ")[0].split()
        for word in reversed(words):
            if len(word) <= 2 and word.isalpha():
                return word.lower()
            if word in _LATIN_WORDS:
                return _LATIN_WORDS[word]
        return ""  # a Latin letter with no ASCII base (e.g. a click or glottal stop): no key fragment
    return ch  # other scripts (Cyrillic, Arabic, ...) keep their letters, lower-cased


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TR_LOWER).casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(_fold_char(ch) for ch in text if not unicodedata.combining(ch))


def fold(text: str | None) -> str:
    """Return the search/dedup key of ``text``: lower-case, no diacritics, no punctuation, single spaces.

    Idempotent, case-insensitive in the Turkish sense, ASCII-only for Latin-script input, never raises.
    """
    if not text:
        return ""
    if text.isascii():  # fast path: the bulk of e-mails, numbers and transliterated names
        return " ".join(_ASCII_NON_WORD.sub(" ", text.lower()).split())
    folded = _fold_once(text)
    # Compatibility forms can fold to characters that fold again; converge (at most a few passes).
    for _ in range(3):
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return " ".join(_SPACES.split(folded)).strip()


@lru_cache(maxsize=4096)
def _invisible(ch: str) -> bool:
    return ch not in INVISIBLE_KEPT and unicodedata.category(ch) in ("Cf", "Cc")


def strip_invisible(text: str) -> str:
    """``text`` without invisible format and control characters (see ``INVISIBLE_KEPT`` for the exceptions).

    The one normaliser the services apply to names, tags, identifiers, card numbers and custom text, so a
    right-to-left override cannot make "Ali" display as another name, nor a zero-width space make a second
    "VIP" tag or customer number. Free notes keep what was typed (they are shown escaped). Idempotent; the
    visible characters are returned unchanged, in order.
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(ch for ch in text if not _invisible(ch))


def tr_lower(text: str) -> str:
    """Lower-case with the Turkish/Azerbaijani dotted and dotless i."""
    return text.translate(_TR_LOWER).lower()


def tr_upper(text: str) -> str:
    """Upper-case with the Turkish/Azerbaijani dotted and dotless i."""
    return text.translate(_TR_UPPER).upper()


# --- alphabetical order -------------------------------------------------------------------------------
#: The alphabets lists are sorted in, letter by letter (lower case). Letters an alphabet does not have but
#: names bring in (q, w, x in Turkish; w in Azerbaijani; ə in Turkish) stand where readers look for them.
SORT_ALPHABETS = {
    "tr": "a b c ç d e ə f g ğ h ı i j k l m n o ö p q r s ş t u ü v w x y z",
    "az": "a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v w y z",
}
#: The alphabet a reader of each language sorts in. English readers get the Turkish one: it places each
#: Turkish letter right after its base letter (c ç, g ğ, o ö, s ş, u ü; ı just before i), the order an
#: English reader expects of names with diacritics; a third stored key per table would buy little.
SORT_ALPHABET_OF_LANGUAGE = {"tr": "tr", "az": "az", "en": "tr"}
SORT_KEY_LENGTH = 255
_SORT_RANKS = {
    alphabet: {letter: f"{0x10 + i:02x}" for i, letter in enumerate(letters.split())}
    for alphabet, letters in SORT_ALPHABETS.items()
}
_SORT_SEPARATOR = "00"


def sort_alphabet(language: str | None) -> str:
    """The alphabet (a key of ``SORT_ALPHABETS``) a reader of ``language`` ("tr", "az-az", "en") sorts in."""
    return SORT_ALPHABET_OF_LANGUAGE.get((language or "").split("-")[0].lower(), "tr")


def _sort_tokens(ch: str, ranks: dict[str, str]) -> str:
    """The key tokens of one lower-cased character: its letter's rank, a digit, a word break (a space,
    turned into ``00`` once the breaks are collapsed), nothing for a mark, or for other scripts their
    code point."""
    if ch in ranks:
        return ranks[ch]
    if unicodedata.combining(ch):
        return ""
    out = []
    for base in unicodedata.normalize("NFKD", ch):
        if unicodedata.combining(base):
            continue
        for folded in _fold_char(base):
            if folded in ranks:
                out.append(ranks[folded])
            elif folded.isdigit() and folded.isascii():
                out.append(f"0{int(folded) + 1:x}")
            elif folded == " ":
                out.append(" ")
            elif folded:
                out.append(f"f{ord(folded):07x}")
    return "".join(out)


class _SortTable(dict[int, str]):
    """``str.translate`` table of one alphabet, filled on first sight of each character."""

    def __init__(self, alphabet: str) -> None:
        super().__init__()
        self.ranks = _SORT_RANKS[alphabet]

    def __missing__(self, code: int) -> str:
        token = _sort_tokens(chr(code), self.ranks)
        if len(self) < 65536:
            self[code] = token
        return token


_SORT_TABLES = {alphabet: _SortTable(alphabet) for alphabet in SORT_ALPHABETS}


def sort_key(text: str | None, alphabet: str) -> str:
    """The key that sorts ``text`` in ``alphabet`` ("tr" or "az", see ``SORT_ALPHABETS``) by plain byte order.

    Each letter becomes two hex digits of its rank in the alphabet (``10`` = a), a word break ``00``, a
    digit ``01``–``0a``, a letter of another script ``f`` and its code point in seven hex digits; so the
    key has only the characters 0-9 and a-f, which every collation of SQLite and PostgreSQL (C, ICU,
    glibc) orders alike, and a btree index on it serves "Name A–Z" on both engines. Case-insensitive in
    the Turkish sense (I is ı, İ is i); other Latin letters sort as their base letter (é as e, ß as ss);
    punctuation is a word break; at most ``SORT_KEY_LENGTH`` characters (a longer key is cut, which
    never reorders two names, at worst ties them). Never raises. One ``str.translate`` per alphabet (its
    table filled as characters are first seen): about a third of ``fold()``'s cost.
    """
    if not text:
        return ""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    lowered = text.translate(_TR_LOWER).lower()
    return _SORT_SEPARATOR.join(lowered.translate(_SORT_TABLES[alphabet]).split())[:SORT_KEY_LENGTH]


def sort_keys(**texts: str) -> dict[str, str]:
    """The stored sort keys of a row, one column per text and alphabet: ``sort_keys(sort_key="Çağla Öz")``
    gives ``{"sort_key_tr": …, "sort_key_az": …}``. What the services and the bulk seeders write."""
    return {
        f"{column}_{alphabet}": sort_key(text, alphabet)
        for column, text in texts.items()
        for alphabet in SORT_ALPHABETS
    }


def alphabetical(items: Iterable[T], text: Callable[[T], str] = str, *, language: str | None = None) -> list[T]:
    """``items`` sorted by ``text(item)`` in the alphabet of a reader of ``language`` (default: the active
    language): the order of the short lists sorted in Python (users, teams, custom-field choices)."""
    from django.utils.translation import get_language

    alphabet = sort_alphabet(language or get_language())
    return sorted(items, key=lambda item: (sort_key(text(item), alphabet), text(item)))


# --- the sound key: one key for every Latin spelling of a Turkish or Azerbaijani name -------------------
# Azerbaijani names reach us in several spellings of one sound: the alphabet (Məmmədov, Xəlilov, Şahin),
# passports and ICAO (MAMMADOV, KHALILOV, SHAHIN, CHINGIZ, AGHAYEV: ə→a, x→kh, ş→sh, ç→ch, ğ→gh, q→g),
# keyboards without the letters (Memmedov, Xelilov) and Russian-era spellings (Mamedov, Aliev, Gasanov for
# Həsənov, Dzhafarov for Cəfərov). ``sound_key()`` maps each spelling to one skeleton; the table of
# examples is ``core/tests/test_text.py`` (SOUND_ALIKE, and SOUND_APART for names that must stay apart).
# The rules, applied to each word of ``fold(text)``:
#   1. a y between a vowel and e goes, as Russian spellings write it (Əliyev → Aliev, Ağayev → Agaev);
#   2. letter groups that write one sound: dzh, zh, j, ch, c → c; sh, s → s; kh, gh, x, q, h, g → g
#      (ğ and ş are already g and s after fold); y → i; w → v;
#   3. the vowels ə, a and e → a (o, u and i keep ö, ü and ı folded into them);
#   4. a doubled letter is one (Məmmədov → mamadov, İsmayılov → ismailov).
_RUSSIAN_E = re.compile(r"(?<=[aeiou])y(?=e)")
_SOUND_GROUPS = re.compile(r"dzh|zh|kh|gh|sh|ch|[jcxqhgywe]")
_SOUND_OF = {"dzh": "c", "zh": "c", "ch": "c", "j": "c", "c": "c", "sh": "s", "y": "i", "w": "v", "e": "a"}
_SOUND_OF.update(dict.fromkeys(("kh", "gh", "x", "q", "h", "g"), "g"))
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _sound_word(word: str) -> str:
    word = _SOUND_GROUPS.sub(lambda m: _SOUND_OF[m.group(0)], _RUSSIAN_E.sub("", word))
    return _DOUBLED.sub(r"\1", word)


def sound_key(text: str | None) -> str:
    """The spelling-blind key of ``text``: ``fold(text)`` with every Latin spelling of a sound made one,
    word by word (see the rules above). "Məmmədov", "MAMMADOV", "Memmedov" and "Mamedov" all give
    "mamadov"; "Xəlilov" and "Khalilov" give "galilov". Idempotent, and a function of ``fold(text)`` only,
    so fold-equal strings get equal keys. Words of other scripts keep their letters (doubles made one)."""
    return " ".join(_sound_word(word) for word in fold(text).split())
