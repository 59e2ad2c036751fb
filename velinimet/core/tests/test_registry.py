"""The one registry: every store is documented, registering is checked, and a customer child's one
registration gives its record type (with its parent) and its merge movers."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from velinimet.core.registry import RECORD_TYPES, NavItem, Registry, registry
from velinimet.customers.services.kvkk import CHILDREN
from velinimet.customers.services.merge import MOVERS

ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def test_every_store_is_listed_in_the_architecture_guide() -> None:
    section = ARCHITECTURE.read_text().split("## The registry", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", section, flags=re.M))
    assert set(registry) == listed, "docs/architecture.md, 'The registry', must list exactly the declared stores"


def test_registering_into_an_unknown_store_names_the_stores_there_are() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"no registry store 'core\.menu'.*core\.nav"):
        registry.register("core.menu", NavItem("x", "X", "core:home"))


def test_a_store_refuses_an_item_of_another_type() -> None:
    fresh = Registry()
    fresh.declare("test.nav", NavItem, "menu entries")
    with pytest.raises(ImproperlyConfigured, match="holds"):
        fresh.register("test.nav", "customers:person_list")
    item = fresh.register("test.nav", NavItem("b", "B", "core:home", order=5))
    fresh.register("test.nav", NavItem("a", "A", "core:home", order=5))
    fresh.register("test.nav", NavItem("c", "C", "core:home", order=1))
    assert [i.key for i in fresh["test.nav"].ordered()] == ["c", "a", "b"]
    assert fresh["test.nav"]["b"] is item
    assert fresh.declare("test.nav", NavItem, "again") is fresh["test.nav"]


def test_a_customer_child_registers_its_record_type_with_its_parents_and_its_movers() -> None:
    child = CHILDREN["activities"]
    assert RECORD_TYPES["activities.activity"].parents == ("person", "company")
    assert RECORD_TYPES["activities.activity"].label == child.record_type.label
    assert {(m.model, m.field, m.kinds) for m in MOVERS.values() if m.model == "activities.Activity"} == {
        ("activities.Activity", "person", ("person",)),
        ("activities.Activity", "company", ("company",)),
    }


def test_a_store_reads_like_its_dict_and_follows_changes() -> None:
    """keys/values/items are the dict's own views (read by every restrict(): see docs/benchmarks.md, session 6),
    so they agree with the Mapping reading and see a later registration or removal."""
    fresh = Registry()
    store = fresh.declare("test.nav", NavItem, "menu entries")
    values = store.values()
    first = fresh.register("test.nav", NavItem("a", "A", "core:home"))
    second = fresh.register("test.nav", NavItem("b", "B", "core:home"))
    assert list(values) == [first, second] == [store[k] for k in store]
    assert list(store.items()) == [("a", first), ("b", second)]
    assert list(store.keys()) == ["a", "b"] and "a" in store and "z" not in store
    assert store.get("z") is None and store.get("a") is first
    store.unregister("a")
    assert list(values) == [second] and "a" not in store
