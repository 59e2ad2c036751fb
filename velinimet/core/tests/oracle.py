"""What a default role may do with the URL matrix's sample records, decided without core.visibility.

The levels come straight from the record types' registered defaults (``RecordType.defaults``), the
declaration an administrator sees in the role screen; the code under test reads them through
``Role.level()`` and ``restrict()``. The samples are the caller's own records in the caller's team, so a
right is enough when its level reaches them: "own records" for a type with an owner, "own team" for a
type with only a team (teams), "all records" for a type with neither (roles, custom fields).
"""

from __future__ import annotations

from velinimet.core.registry import RECORD_TYPES

NONE, OWN, TEAM, ALL = 0, 1, 2, 4


def default_level(role_slug: str, record_type: str, action: str) -> int:
    rt = RECORD_TYPES[record_type]
    return int(rt.defaults.get(role_slug, {}).get(action, NONE))


def least_level(record_type: str) -> int:
    """The least level that reaches a user's own record of this type."""
    rt = RECORD_TYPES[record_type]
    if rt.owner_field:
        return OWN
    if rt.team_field:
        return TEAM
    return ALL


def allowed(role_slug: str, needs: tuple[tuple, ...]) -> bool:
    """Whether ``role_slug`` holds every (record type, action[, least level]) in ``needs``.

    Acting on a record needs reading it too (a record one may not read is not found): every record type
    named with another action needs its read right as well.
    """
    wanted: dict[tuple[str, str], int] = {}
    for need in needs:
        record_type, action = need[0], need[1]
        least = need[2] if len(need) > 2 else least_level(record_type)
        wanted[(record_type, action)] = max(wanted.get((record_type, action), NONE), least)
    for record_type, action in list(wanted):
        if action not in ("read", "create"):
            wanted.setdefault((record_type, "read"), least_level(record_type))
    return all(default_level(role_slug, rt, action) >= least for (rt, action), least in wanted.items())
