"""sort_key(): alphabetical order in the Turkish and Azerbaijani alphabets. Table of orders, then properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.text import SORT_ALPHABETS, SORT_KEY_LENGTH, sort_alphabet, sort_key, sort_keys, tr_upper

# (alphabet, names in the order a reader of that alphabet expects)
ORDERS = [
    ("tr", ["Cem", "Çağla", "Deniz"]),
    ("tr", ["Gül", "Güler", "Ğ", "Hakan"]),
    ("tr", ["Hakan", "Ilgaz", "Işık", "İlker", "İzmir", "Jale"]),
    ("tr", ["Oya", "Ödemiş", "Pınar"]),
    ("tr", ["Sevda", "Şule", "Tarık"]),
    ("tr", ["Uğur", "Ümit", "Veli"]),
    ("tr", ["ılgın", "IŞIK", "İSTANBUL", "istanbul2"]),  # I is ı, İ is i, whatever the case
    ("tr", ["Ali Veli", "Aliye"]),  # a word ends before a longer one
    ("tr", ["3M", "Ahmet"]),  # digits before letters
    ("tr", ["Eda", "Émile", "Erol"]),  # é sorts as e
    ("tr", ["O'Brien", "Oakley"]),  # punctuation is a word break
    ("tr", ["Zeynep", "Иван"]),  # other scripts after the Latin letters
    ("az", ["Elvin", "Əli", "Fuad"]),
    ("az", ["Hüseyn", "Xəyal", "Ilqar", "İlham"]),
    ("az", ["Kamran", "Qasım", "Lalə"]),
    ("az", ["Cavid", "Çingiz", "Dadaş"]),
    ("az", ["Gülnar", "Ğ", "Həsən"]),
    ("az", ["Orxan", "Ömər", "Pərviz"]),
    ("az", ["Səbinə", "Şahin", "Tural"]),
    ("az", ["Umud", "Ülviyyə", "Vüsal"]),
    ("tr", ["Hüseyn", "Ilqar", "Xəyal"]),  # in Turkish, x stays near the end
    ("tr", ["Kamran", "Lalə", "Qasım"]),
]


@pytest.mark.parametrize(("alphabet", "names"), ORDERS)
def test_names_sort_in_the_readers_alphabet(alphabet: str, names: list[str]) -> None:
    assert sorted(reversed(names), key=lambda n: sort_key(n, alphabet)) == names
    keys = [sort_key(n, alphabet) for n in names]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_the_alphabet_of_each_language() -> None:
    assert [sort_alphabet(lang) for lang in ("tr", "az", "en", "az-az", None, "de")] == [
        "tr",
        "az",
        "tr",
        "az",
        "tr",
        "tr",
    ]


def test_sort_keys_gives_a_column_per_alphabet() -> None:
    assert sort_keys(sort_key="Əli") == {"sort_key_tr": sort_key("Əli", "tr"), "sort_key_az": sort_key("Əli", "az")}


def test_keys_are_short_hex_so_every_collation_orders_them_alike() -> None:
    key = sort_key("Çağla Öztürk-Əliyeva", "az")
    assert set(key) <= set("0123456789abcdef")
    assert len(sort_key("Ş" * 500, "tr")) == SORT_KEY_LENGTH
    assert sort_key("", "tr") == sort_key(None, "az") == sort_key(" -- ", "tr") == ""


alphabets = st.sampled_from(sorted(SORT_ALPHABETS))


def _letters(alphabet: str) -> list[str]:
    return SORT_ALPHABETS[alphabet].split()


@st.composite
def words(draw: st.DrawFn, alphabet: str) -> str:
    return "".join(draw(st.lists(st.sampled_from(_letters(alphabet)), min_size=1, max_size=12)))


@given(st.data())
def test_the_order_of_words_is_the_order_of_the_alphabet_table(data: st.DataObject) -> None:
    """Over the alphabet's letters, comparing keys is comparing the words letter by letter by the table."""
    alphabet = data.draw(alphabets)
    a, b = data.draw(words(alphabet)), data.draw(words(alphabet))
    rank = {letter: i for i, letter in enumerate(_letters(alphabet))}
    by_table = [rank[ch] for ch in a] < [rank[ch] for ch in b]
    assert (sort_key(a, alphabet) < sort_key(b, alphabet)) == by_table
    assert (sort_key(a, alphabet) == sort_key(b, alphabet)) == (a == b)


@given(st.data())
def test_case_does_not_change_the_order(data: st.DataObject) -> None:
    alphabet = data.draw(alphabets)
    word = data.draw(words(alphabet))
    assert sort_key(tr_upper(word), alphabet) == sort_key(word, alphabet)


@given(alphabets, st.text(max_size=60), st.text(max_size=60), st.text(max_size=60))
def test_the_order_is_total_and_a_name_sorts_before_its_longer_forms(alphabet: str, a: str, b: str, c: str) -> None:
    ka, kb, kc = (sort_key(t, alphabet) for t in (a, b, c))
    assert set(ka) <= set("0123456789abcdef") and len(ka) <= SORT_KEY_LENGTH
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1  # total: exactly one holds
    if ka <= kb <= kc:
        assert ka <= kc
    assert sort_key(a, alphabet) <= sort_key(a + " " + b, alphabet)  # "Ali" before "Ali Veli"
