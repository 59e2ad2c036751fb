"""sound_key(): one key for every Latin spelling of a name. Tables of spellings, then properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.text import fold, sound_key

#: Each row: spellings people write of one name (the alphabet, passport/ICAO, keyboard, Russian era), the key.
SOUND_ALIKE = [
    (("Məmmədov", "MAMMADOV", "Mammadov", "Memmedov", "Mamedov", "Mammedov"), "mamadov"),
    (("Xəlilov", "KHALILOV", "Xelilov", "Khalilov", "Halilov"), "galilov"),
    (("Şahin", "SHAHIN", "Sahin", "Shakhin"), "sagin"),
    (("Çingiz", "CHINGIZ", "Cingiz"), "cingiz"),
    (("Ağayev", "AGHAYEV", "Agayev", "Aqayev", "Agaev"), "agav"),
    (("Əliyev", "ALIYEV", "Aliyev", "Eliyev", "Aliev"), "aliav"),
    (("Həsənov", "HASANOV", "Hesenov", "Gasanov"), "gasanov"),
    (("Cəfərov", "JAFAROV", "Ceferov", "Dzhafarov"), "cafarov"),
    (("Hüseynov", "HUSEYNOV", "Guseynov", "Guseinov"), "gusainov"),
    (("Hacıyev", "HAJIYEV", "Haciyev", "Gadzhiev"), "gaciav"),
    (("İsmayılov", "ISMAYILOV", "Ismailov"), "ismailov"),
    (("Abdullayev", "ABDULLAYEV", "Abdulaev"), "abdulav"),
    (("Quliyev", "GULIYEV", "Guliev"), "guliav"),
    (("Əhmədov", "AHMADOV", "Ehmedov", "Akhmedov"), "agmadov"),
    (("Xəzər", "KHAZAR", "Xezer", "Xazar", "Hazar"), "gazar"),
    (("Şükrü Öztürk", "SUKRU OZTURK", "Shukru Ozturk"), "sukru ozturk"),
]

#: Names that must keep apart.
SOUND_APART = [
    ("Can", "Cem"), ("Ali", "Ela"), ("Kaya", "Kaan"), ("Ayşe", "Aysel"), ("Gül", "Gülşen"), ("Selin", "Sena"),
    ("Kuliev", "Guliev"), ("Yılmaz", "Yıldız"), ("Demir", "Damla"), ("Mamedov", "Mahmudov"), ("Aliyev", "Alizade"),
    ("Hasanov", "Hasanli"), ("Öztürk", "Özkan"), ("Orhan", "Oktay"), ("Polat", "Pala"), ("Kara", "Kaya"),
]  # fmt: skip


@pytest.mark.parametrize(("spellings", "key"), SOUND_ALIKE, ids=[row[1] for row in SOUND_ALIKE])
def test_every_spelling_of_a_name_has_its_key(spellings: tuple[str, ...], key: str) -> None:
    assert {name: sound_key(name) for name in spellings} == dict.fromkeys(spellings, key)


@pytest.mark.parametrize(("one", "other"), SOUND_APART)
def test_unrelated_names_keep_apart(one: str, other: str) -> None:
    assert sound_key(one) != sound_key(other)


def test_no_two_rows_of_the_table_share_a_key() -> None:
    keys = [key for _spellings, key in SOUND_ALIKE]
    assert len(keys) == len(set(keys))


def test_sound_key_of_nothing_is_empty() -> None:
    assert sound_key(None) == sound_key("") == sound_key(" .,") == ""


spelled = st.lists(
    st.sampled_from([name for spellings, _key in SOUND_ALIKE for name in spellings] + ["İ", "ı", "ş", " ", "-"]),
    max_size=4,
).map(" ".join)


@given(st.text(max_size=60))
def test_sound_key_is_idempotent_and_one_spaced(text: str) -> None:
    key = sound_key(text)
    assert sound_key(key) == key
    assert key == " ".join(key.split())


@given(spelled)
def test_sound_key_of_spelled_names_is_idempotent(text: str) -> None:
    assert sound_key(sound_key(text)) == sound_key(text)


@given(st.text(max_size=60))
def test_fold_equal_strings_get_equal_keys(text: str) -> None:
    assert sound_key(fold(text)) == sound_key(text)
    assert sound_key(text.upper()) == sound_key(fold(text.upper()))


@given(st.sampled_from(SOUND_ALIKE), st.sampled_from(SOUND_ALIKE), st.data())
def test_a_full_name_in_any_spellings_has_one_key(first: tuple, last: tuple, data: st.DataObject) -> None:
    one = data.draw(st.sampled_from(first[0])) + " " + data.draw(st.sampled_from(last[0]))
    other = data.draw(st.sampled_from(first[0])) + " " + data.draw(st.sampled_from(last[0]))
    assert sound_key(one) == sound_key(other) == f"{first[1]} {last[1]}"
