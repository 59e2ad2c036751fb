"""Shapes of the accounts API: users, teams, roles, tokens, the current user."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from velinimet.accounts.models import ApiToken, Role, Team, User
from velinimet.core.visibility import Level


class TeamBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name", "parent"]


class RoleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Role
        fields = ["id", "name", "slug"]


class UserSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)
    role = serializers.PrimaryKeyRelatedField(queryset=Role.objects.all(), allow_null=True, required=False)
    password = serializers.CharField(write_only=True, required=False, style={"input_type": "password"})
    revoke_tokens = serializers.BooleanField(
        write_only=True,
        required=False,
        default=True,
        help_text="With a new password for another user: also revoke that user's API tokens.",
    )
    language = serializers.CharField(required=False)
    time_zone = serializers.CharField(required=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "team",
            "role",
            "language",
            "time_zone",
            "extension",
            "is_active",
            "password",
            "revoke_tokens",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["date_joined", "last_login"]
        extra_kwargs: dict[str, Any] = {
            "username": {"validators": []}
        }  # uniqueness (case-insensitive) is the service's rule


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many live tokens were revoked.")


class MeSerializer(serializers.ModelSerializer):
    team = TeamBriefSerializer(read_only=True)
    teams = serializers.SerializerMethodField()
    role = RoleBriefSerializer(read_only=True)
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "language",
            "time_zone",
            "extension",
            "team",
            "teams",
            "role",
            "permissions",
            "is_superuser",
        ]

    def to_representation(self, instance: Any) -> Any:
        """Plus the keys other modules add (``accounts.account_sections``: ``calendar_feed_url``…)."""
        from velinimet.accounts.sections import ACCOUNT_SECTIONS

        data = super().to_representation(instance)
        request = self.context.get("request")
        for section in ACCOUNT_SECTIONS.ordered():
            data.update(section.me(request))
        return data

    def get_teams(self, user: User) -> list[dict[str, Any]]:
        """The user's team and every team above it, top first."""
        if user.team is None:
            return []
        return [{"id": t.pk, "name": t.name} for t in [*user.team.ancestors(), user.team]]

    def get_permissions(self, user: User) -> dict[str, dict[str, str]]:
        from velinimet.core.registry import RECORD_TYPES

        return {
            key: {a: Level(user.access_level(key, a)).name.lower() for a in rt.actions}
            for key, rt in RECORD_TYPES.items()
        }


class PreferencesSerializer(serializers.Serializer):
    language = serializers.CharField(required=False)
    time_zone = serializers.CharField(required=False)


class TeamSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)  # type: ignore[assignment]

    class Meta:
        model = Team
        fields = ["id", "name", "parent", "description"]
        validators: list[Any] = []


class RoleSerializer(serializers.ModelSerializer):
    permissions = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        required=False,
        help_text="{record_type: {action: level}}; levels 0 none … 4 all",
    )
    effective = serializers.SerializerMethodField()
    is_system = serializers.BooleanField(read_only=True)

    class Meta:
        model = Role
        fields = ["id", "name", "slug", "description", "require_2fa", "permissions", "effective", "is_system"]
        read_only_fields = ["slug"]
        validators: list[Any] = []

    def get_effective(self, role: Role) -> dict[str, dict[str, int]]:
        return role.matrix()


class ApiTokenSerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField(help_text="Only in the answer to the create request.")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "key"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]

    def get_key(self, token: ApiToken) -> str | None:
        return self.context.get("key")
