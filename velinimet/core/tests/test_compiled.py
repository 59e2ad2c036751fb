"""Querysets compiled once (``core.compiled``): the rows the ORM gives, for any later value."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import Q

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
