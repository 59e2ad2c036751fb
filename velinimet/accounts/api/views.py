"""API of the accounts app: /me/, users, teams, roles and the caller's tokens. Writes go through services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.accounts import lockout, services, two_factor
from velinimet.accounts.api.serializers import (
    ApiTokenSerializer,
    MeSerializer,
    PreferencesSerializer,
    RevokedSerializer,
    RoleSerializer,
    TeamSerializer,
    UserSerializer,
)
from velinimet.accounts.http import request_user
from velinimet.accounts.models import ApiToken, Role, Team
from velinimet.accounts.selectors import role_list, team_list, user_list
from velinimet.core.rest import ErrorSerializer, VisibleViewSetMixin
from velinimet.core.visibility import get_for_user


@extend_schema(responses={200: MeSerializer}, summary="The current user, their teams and role")
@api_view(["GET"])
def me(request: Request) -> Response:
    return Response(MeSerializer(request_user(request), context={"request": request}).data)


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
    return Response(MeSerializer(user, context={"request": request}).data)


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
        return user_list(request_user(self.request), q=self.request.query_params.get("q", ""))

    @extend_schema(responses={201: UserSerializer, 400: ErrorSerializer, 409: ErrorSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("revoke_tokens", None)
        if "password" not in data:
            raise serializers.ValidationError({"password": ["This field is required."]})
        user = services.user_create(
            actor=request_user(request), username=data.pop("username"), password=data.pop("password"), **data
        )
        return Response(self.get_serializer(user).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = self.get_object()
        ser = self.get_serializer(target, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        password = data.pop("password", None)
        revoke_tokens = data.pop("revoke_tokens", True) and target.pk != request_user(request).pk
        user = services.user_update(actor=request_user(request), user=target, **data)
        if password:
            services.user_set_password(
                actor=request_user(request), user=user, password=password, revoke_tokens=revoke_tokens
            )
        return Response(self.get_serializer(user).data)

    @extend_schema(
        request=None,
        responses={200: RevokedSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Revoke every API token of a user",
    )
    @action(detail=True, methods=["post"], url_path="revoke-tokens")
    def revoke_tokens(self, request: Request, pk: str | None = None) -> Response:
        target = get_for_user(self.get_queryset(), request_user(request), self.kwargs["pk"], action="update")
        count = services.user_tokens_revoke(actor=request_user(request), user=target)
        return Response({"revoked": count})

    @extend_schema(
        request=None,
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Reset a user's two-factor login (their authenticator and backup codes)",
    )
    @action(detail=True, methods=["post"], url_path="reset-two-factor")
    def reset_two_factor(self, request: Request, pk: str | None = None) -> Response:
        target = get_for_user(self.get_queryset(), request_user(request), self.kwargs["pk"], action="update")
        two_factor.two_factor_reset(actor=request_user(request), user=target)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Lift a user's login lockout",
    )
    @action(detail=True, methods=["post"], url_path="lift-lockout")
    def lift_lockout(self, request: Request, pk: str | None = None) -> Response:
        target = get_for_user(self.get_queryset(), request_user(request), self.kwargs["pk"], action="update")
        lockout.lockout_lift(actor=request_user(request), user=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TeamViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    serializer_class = TeamSerializer
    record_type = "accounts.team"

    def get_queryset(self) -> Any:
        return team_list(request_user(self.request))

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.team_create(actor=request_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        parent = data.pop("parent", "unchanged")
        serializer.instance = services.team_update(
            actor=request_user(self.request), team=serializer.instance, parent=parent, **data
        )

    def perform_destroy(self, instance: Team) -> None:
        services.team_delete(actor=request_user(self.request), team=instance)


class RoleViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    serializer_class = RoleSerializer
    record_type = "accounts.role"

    def get_queryset(self) -> Any:
        return role_list(request_user(self.request))

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.role_create(actor=request_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.role_update(
            actor=request_user(self.request), role=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Role) -> None:
        services.role_delete(actor=request_user(self.request), role=instance)


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
            actor=request_user(request), user=request_user(request), name=ser.validated_data.get("name", "")
        )
        return Response(ApiTokenSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.token_revoke(actor=request_user(self.request), token=instance)


__all__ = ["settings"]
