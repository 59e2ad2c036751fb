"""Querysets compiled once (``core.compiled``): the rows the ORM gives, for any later value."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Q
from hypothesis import given
from hypothesis import strategies as st

from velinimet.accounts.models import ApiToken, User
from velinimet.core.compiled import compile_queryset, compiled, int_marker, text_marker

pytestmark = pytest.mark.django_db


def _users_named(username: str) -> Any:
    return User.objects.filter(username=username).values_list("id", "date_joined", "is_active", "team__name")


def test_rows_match_the_orm_for_values_other_than_the_markers(cast: Any) -> None:
    query = compiled(("test", "users-named"), _users_named, [text_marker(0)])
    for user in cast.everyone:
        assert query.rows(user.username) == list(_users_named(user.username))
    assert query.rows("nobody") == []


def test_columns_come_back_through_django_converters(cast: Any) -> None:
    """SQLite hands back datetimes as text and booleans as 0/1: the compiled query converts them as the ORM."""
    row = compile_queryset(_users_named(text_marker(0)), [text_marker(0)]).first("rep_ist")
    assert isinstance(row[1], datetime.datetime) and row[1].tzinfo is not None
    assert row[2] is True
    assert row[3] == "İstanbul"


def test_one_value_used_twice_and_integer_markers(cast: Any) -> None:
    def build(team_id: int, name: str) -> Any:
        named = Q(username=name) | Q(first_name=name)
        return User.objects.filter(named, team_id=team_id).order_by("id").values_list("username")

    query = compile_queryset(build(int_marker(0), text_marker(1)), [int_marker(0), text_marker(1)])
    assert query.rows(cast.sales.pk, "Manager") == [("manager",)]
    assert query.rows(cast.istanbul.pk, "reader") == [("reader",)]
    assert query.rows(cast.istanbul.pk, "manager") == []


def test_a_value_the_orm_rewrites_cannot_be_a_marker(cast: Any) -> None:
    """``startswith`` sends ``marker%``: the marker is not a parameter of its own, and this is said at once."""
    with pytest.raises(ValueError, match="markers"):
        compile_queryset(User.objects.filter(username__startswith=text_marker(0)), [text_marker(0)])


def test_a_query_that_can_match_nothing_runs_no_statement(cast: Any, django_assert_num_queries: Any) -> None:
    query = compile_queryset(User.objects.filter(pk__in=[]).values_list("id"), [])
    assert query.sql is None
    with django_assert_num_queries(0):
        assert query.rows() == []


def test_a_marker_the_query_does_not_use_is_an_error(cast: Any) -> None:
    with pytest.raises(ValueError, match="markers"):
        compile_queryset(User.objects.filter(username="admin").values_list("id"), [text_marker(0)])


def _token_for(user: User) -> str:
    key = "vlm_test_" + user.username
    ApiToken.objects.create(user=user, name="t", prefix=key[:12], key_hash=ApiToken.hash_key(key))
    return key


def test_token_of_a_user_without_team_or_role(cast: Any, client: Any) -> None:
    loner = User.objects.create(username="loner", first_name="Lone")
    key = _token_for(loner)
    me = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["username"] == "loner"


def test_a_user_deactivated_after_their_first_call_is_refused_on_the_next(cast: Any, client: Any) -> None:
    key = _token_for(cast.rep_ist)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    User.objects.filter(pk=cast.rep_ist.pk).update(is_active=False)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_hot_reads_are_prepared_on_postgresql_only(cast: Any, settings: Any) -> None:
    from django.db import connection

    from velinimet.core.compiled import prepared_cursor

    query = compiled(("test", "users-named"), _users_named, [text_marker(0)])
    for user in cast.everyone:
        query.rows(user.username)
    if connection.vendor != "postgresql":
        with prepared_cursor() as cursor:
            assert type(cursor.cursor).__name__ != "PreparedCursor"
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert sum('"accounts_user"."username" = $1' in s for s in statements) == 1  # prepared once, used 5 times
    settings.DB_PREPARE_HOT_READS = False  # VELINIMET_DB_PREPARE=off
    with prepared_cursor() as cursor:
        assert type(cursor.cursor).__name__ != "PreparedCursor"


def test_first_of_refuses_columns_that_need_converters(cast: Any) -> None:
    from velinimet.core.compiled import first_of

    with_dates = compile_queryset(_users_named(text_marker(0)), [text_marker(0)])
    if with_dates.converters:  # SQLite: date_joined and is_active are converted
        with pytest.raises(ValueError, match="converters"):
            first_of([with_dates])
    names = compile_queryset(User.objects.filter(username=text_marker(0)).values_list("first_name"), [text_marker(0)])
    nobody = compile_queryset(User.objects.filter(pk__in=[]).values_list("first_name"), [])
    query = first_of([nobody, names, names])
    assert query.first("rep_baku") == (1, "Rep_baku")
    assert query.first("nobody") is None
    assert first_of([nobody]).sql is None


@st.composite
def _forests(draw: Any) -> list[tuple[int, int | None]]:
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=30, unique=True))
    return [(pk, draw(st.sampled_from([None, *ids[:i]]))) for i, pk in enumerate(ids)]


@given(_forests(), st.data())
def test_team_tree_from_edges(edges: list[tuple[int, int | None]], data: Any) -> None:
    from velinimet.accounts.models import Team

    root = data.draw(st.sampled_from([pk for pk, _parent in edges]))
    below, grew = {root}, True
    while grew:
        grew = False
        for pk, parent in edges:
            if parent in below and pk not in below:
                below.add(pk)
                grew = True
    tree = Team.tree_from_edges(root, edges)
    assert tree[0] == root and sorted(tree) == sorted(below)
    assert Team.tree_from_edges(root, list(reversed(edges))) == tree  # the same order however read
    text = ",".join(f"{pk}:{'' if parent is None else parent}" for pk, parent in edges)
    assert Team.parse_edges(text) == edges


def test_team_edges_read_with_the_token_are_the_teams(cast: Any) -> None:
    from django.db import connection

    from velinimet.accounts.models import Team, team_edges_sql

    with connection.cursor() as cursor:
        cursor.execute(team_edges_sql())
        edges = Team.parse_edges(cursor.fetchone()[0])
    assert sorted(edges) == sorted(Team.objects.values_list("id", "parent_id"))
    assert Team.tree_ids(cast.sales.pk) == [cast.sales.pk, *sorted([cast.istanbul.pk, cast.baku.pk])]
