"""Finding someone's values written any usual way, in text, JSON and files of any size (``core.erasure``)."""

from __future__ import annotations

from pathlib import Path

from velinimet.core import erasure
from velinimet.core.erasure import ERASED, Mentions

ZUMRUT = Mentions(
    names=["Zümrüt Zümrütoğlu"],
    phones=["+905327771122"],
    emails=["zumrut.x@ornek.com.tr"],
    identifiers=["TR300006200073141592653589", "38492057110"],
)


def test_a_name_is_found_in_any_case_with_or_without_turkish_letters_and_split_by_any_punctuation() -> None:
    for text in ("ZÜMRÜT ZÜMRÜTOĞLU", "zumrut zumrutoglu", "Zümrüt;Zümrütoğlu;0532", "Zu\u0308mru\u0308t  Zümrütoğlu"):
        assert ZUMRUT.search(text), text
    assert not ZUMRUT.search("Zümrütoğlugil")  # another word
    assert not ZUMRUT.search("Zümrütoğlu")  # a surname alone is not the person


def test_a_one_word_name_is_never_looked_for_and_a_full_name_only_as_whole_words() -> None:
    assert not Mentions(names=["Ali"])
    assert not Mentions(names=["Ali Su"]).search("Ali Sunal, Kalisu")


def test_a_phone_number_is_found_with_or_without_its_prefixes_and_separators() -> None:
    for text in ("+905327771122", "0532 777 11 22", "+90 (532) 777-11-22", "5327771122", "0090 532 7771122"):
        assert ZUMRUT.search(f"aradı: {text}."), text
    assert not ZUMRUT.search("15327771122")  # a longer number that contains it
    assert ZUMRUT.sub("Tel: 0532 777 11 22, ara") == f"Tel: {ERASED}, ara"


def test_identifiers_and_e_mails_are_found_with_spaces_and_in_any_case() -> None:
    assert ZUMRUT.search("IBAN: TR30 0006 2000 7314 1592 6535 89")
    assert ZUMRUT.search("TCKN 384 920 571 10")
    assert ZUMRUT.search("ZUMRUT.X@ORNEK.COM.TR")
    assert ZUMRUT.scrub({"a": ["x 38492057110 y", 3], "b": None}) == {"a": [f"x {ERASED} y", 3], "b": None}


def test_a_large_file_is_read_in_chunks_and_a_value_cut_by_a_chunk_is_found(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    head = b"x" * (erasure.CHUNK - 5)
    path.write_bytes(head + "Zümrüt Zümrütoğlu;0532 777 11 22\n".encode() + b"y" * 1000)
    assert ZUMRUT.in_file(path)
    clean = tmp_path / "clean.csv"
    clean.write_bytes(head + "Ayşe Kaya;0533 444 55 66\n".encode())
    assert erasure.export_files_mentioning(ZUMRUT, tmp_path) == [path]


def test_an_e_mail_made_of_the_name_is_erased_whole_with_its_domain() -> None:
    gulsen = Mentions(names=["Gülşen Çağlayanoğlu"], emails=["gulsen.caglayanoglu@qaornek.com.tr"])
    assert gulsen.sub("Başvuru: gulsen.caglayanoglu@qaornek.com.tr, 0532") == f"Başvuru: {ERASED}, 0532"
    assert gulsen.sub("Gülşen Çağlayanoğlu yazdı") == f"{ERASED} yazdı"
