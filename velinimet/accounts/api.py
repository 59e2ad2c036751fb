"""API of the accounts app: /me/, users, teams, roles and the caller's tokens. Writes go through services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.core.http import request_user
from velinimet.core.rest import ErrorSerializer, VisibleViewSetMixin
from velinimet.core.visibility import Level, get_for_user

from . import services
from .models import ApiToken, Role, Team, User
from .selectors import role_list, team_list, user_list


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


@extend_schema(responses={200: MeSerializer}, summary="The current user, their teams and role")
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(request.user).data)


@extend_schema(
    request=PreferencesSerializer,
    responses={200: MeSerializer, 400: ErrorSerializer},
    summary="Change your language or time zone",
)
@api_view(["PATCH"])
def me_update(request: Request) -> Response:
    data = PreferencesSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    user = services.preferences_update(actor=request_user(request), **data.validated_data)
    return Response(MeSerializer(user).data)


class UserViewSet(
    VisibleViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = UserSerializer
    record_type = "accounts.user"

    def get_queryset(self) -> Any:
        return user_list(self.request.user, q=self.request.query_params.get("q", ""))

    @extend_schema(responses={201: UserSerializer, 400: ErrorSerializer, 409: ErrorSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("revoke_tokens", None)
        if "password" not in data:
            raise serializers.ValidationError({"password": ["This field is required."]})
        user = services.user_create(
            actor=request.user, username=data.pop("username"), password=data.pop("password"), **data
        )
        return Response(self.get_serializer(user).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = self.get_object()
        ser = self.get_serializer(target, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        password = data.pop("password", None)
        revoke_tokens = data.pop("revoke_tokens", True) and target.pk != request.user.pk
        user = services.user_update(actor=request.user, user=target, **data)
        if password:
            services.user_set_password(actor=request.user, user=user, password=password, revoke_tokens=revoke_tokens)
        return Response(self.get_serializer(user).data)

    @extend_schema(
        request=None,
        responses={200: RevokedSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Revoke every API token of a user",
    )
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request: Request, pk: str | None = None) -> Response:
        target = get_for_user(self.get_queryset(), request.user, self.kwargs["pk"], action="update")
        count = services.user_tokens_revoke(actor=request.user, user=target)
        return Response({"revoked": count})


class TeamSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), allow_null=True, required=False)  # type: ignore[assignment]

    class Meta:
        model = Team
        fields = ["id", "name", "parent", "description"]
        validators: list[Any] = []


class TeamViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    serializer_class = TeamSerializer
    record_type = "accounts.team"

    def get_queryset(self) -> Any:
        return team_list(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.team_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop("parent", "unchanged")
        serializer.instance = services.team_update(
            actor=self.request.user, team=serializer.instance, parent=parent, **data
        )

    def perform_destroy(self, instance: Team) -> None:
        services.team_delete(actor=self.request.user, team=instance)


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


class RoleViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    serializer_class = RoleSerializer
    record_type = "accounts.role"

    def get_queryset(self) -> Any:
        return role_list(self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.role_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.role_update(
            actor=self.request.user, role=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Role) -> None:
        services.role_delete(actor=self.request.user, role=instance)


class ApiTokenSerializer(serializers.ModelSerializer):
    key = serializers.SerializerMethodField(help_text="Only in the answer to the create request.")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "key"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]

    def get_key(self, token: ApiToken) -> str | None:
        return self.context.get("key")


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own API tokens; DELETE revokes."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset() gives the caller's tokens

    def get_queryset(self) -> Any:
        return ApiToken.objects.filter(user=request_user(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        token, key = services.token_create(
            actor=request.user, user=request_user(request), name=ser.validated_data.get("name", "")
        )
        return Response(ApiTokenSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.token_revoke(actor=self.request.user, token=instance)


__all__ = ["settings"]
