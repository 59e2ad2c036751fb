"""The API's JSON parser refuses bodies it cannot parse in bounded work, always as a 400 in the one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest

from velinimet.accounts.models import Team
from velinimet.core.parsers import json_depth_exceeds


def _post(api: Any, cast: Any, body: bytes | str) -> Any:
    return api(cast.admin).generic("POST", "/api/v1/teams/", body, content_type="application/json")


def _assert_400(response: Any, code: str) -> dict[str, Any]:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert set(body) >= {"message", "code", "errors"} and body["code"] == code
    return body


def test_a_list_nested_100000_deep_is_a_400_not_a_recursion_error(cast: Any, api: Any) -> None:
    body = _assert_400(_post(api, cast, "[" * 100_000 + "]" * 100_000), "json_too_deep")
    assert "32" in body["message"]


def test_an_object_nested_33_deep_is_refused(cast: Any, api: Any) -> None:
    deep: Any = {"name": "Derin"}
    for _ in range(32):
        deep = {"x": deep}
    _assert_400(_post(api, cast, json.dumps(deep)), "json_too_deep")
    assert not Team.objects.filter(name="Derin").exists()


def test_a_body_nested_32_deep_is_parsed(cast: Any, api: Any) -> None:
    deep: Any = {"name": "Sığ"}
    for _ in range(31):
        deep = {"x": deep}
    deep["name"] = "Sığ"
    assert _post(api, cast, json.dumps(deep)).status_code == 201


def test_a_normal_body_creates_the_record(cast: Any, api: Any) -> None:
    assert _post(api, cast, json.dumps({"name": "Ankara [{ekibi}]"})).status_code == 201
    assert Team.objects.filter(name="Ankara [{ekibi}]").exists()


def test_brackets_inside_strings_do_not_count_towards_the_depth() -> None:
    assert not json_depth_exceeds(json.dumps({"a": "[" * 1000 + '\\"' + "{" * 1000}), 32)
    assert json_depth_exceeds("[" * 33 + "]" * 33, 32)
    assert not json_depth_exceeds("[" * 32 + "]" * 32, 32)
    assert not json_depth_exceeds("[[],[[]],{}]" * 1000, 32)


@pytest.mark.parametrize(
    "body",
    [b'{"name": "\xff\xfe"}', b'{"name": "Ankara"', b'{"name": NaN}', b"[" * 40 + b"}" * 40],
    ids=["invalid-utf8", "truncated", "nan", "mismatched-deep"],
)
def test_invalid_bodies_are_a_400(cast: Any, api: Any, body: bytes) -> None:
    response = _post(api, cast, body)
    assert response.status_code == 400
    assert set(response.json()) >= {"message", "code", "errors"}
