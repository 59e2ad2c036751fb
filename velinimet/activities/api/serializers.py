"""Shapes of the activities API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from velinimet.activities import kinds
from velinimet.activities.models import Activity, ContactRule, Direction, Kind, Priority, Status
from velinimet.core.input_guard import DB_INT_MAX


class IdsField(serializers.ListField):
    """A many-to-many field as a list of ids, in and out."""

    child = serializers.IntegerField(min_value=1, max_value=DB_INT_MAX)

    def to_representation(self, data: Any) -> list[int]:
        return [item.pk for item in data.all()] if hasattr(data, "all") else list(data)


class ActivitySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", required=False, allow_null=True)
    company = serializers.IntegerField(source="company_id", required=False, allow_null=True)
    owner = serializers.IntegerField(
        source="owner_id", required=False, help_text="the user it belongs to (a task's assignee); default: you"
    )
    owner_name = serializers.SerializerMethodField()
    kind = serializers.CharField(
        max_length=40,
        required=False,
        help_text="a built-in kind (" + ", ".join(Kind.values) + ") or the key of one an administrator added",
    )
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False, help_text="when it happened; its due time while open")
    ends_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="another way to give the duration: not before occurred_at"
    )
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, help_text="open (a task, a planned call), done or cancelled"
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    outcome = serializers.ChoiceField(choices=kinds.Outcome.choices, required=False, allow_blank=True)
    details = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="the kind's own fields: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in kinds.KIND_FIELDS.items()),
    )
    participants = IdsField(required=False, help_text="ids of the colleagues taking part")
    people = IdsField(required=False, help_text="ids of the customer's people taking part")
    related_type = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="what it was about: a record type another module registered (e.g. sales.deal), with related_id",
    )
    related_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=DB_INT_MAX)
    overdue = serializers.SerializerMethodField()
    version = serializers.IntegerField(required=False, help_text="the version you read; a stale one is refused")

    class Meta:
        model = Activity
        fields = [
            "id", "kind", "status", "direction", "subject", "body", "occurred_at", "ends_at", "duration_minutes",
            "priority", "outcome", "details", "participants", "people", "related_type", "related_id", "overdue", "completed_at",
            "person", "company", "owner", "owner_name", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]

    def validate_kind(self, value: str) -> str:
        """Checked here too, so that a bad kind is reported with the other field errors."""
        if not kinds.usable(value):
            choices = ", ".join(key for key, _label in kinds.kind_choices())
            raise serializers.ValidationError(_("Choose one of: %(choices)s") % {"choices": choices})
        return value

    def get_owner_name(self, activity: Activity) -> str:
        return str(activity.owner)

    def get_overdue(self, activity: Activity) -> bool:
        from django.utils import timezone

        return activity.is_open and activity.occurred_at < timezone.now()

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["ends_at"] = serializers.DateTimeField().to_representation(instance.ends_at) if instance.ends_at else None
        data["related_type"] = _record_type_of(instance.related_type)
        return data


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=kinds.Outcome.choices, required=False, allow_blank=True)
    version = serializers.IntegerField(required=False, help_text="the version you read; a stale one is refused")


def _record_type_of(content_type: Any) -> str | None:
    from velinimet.core.registry import record_type_for_model

    if content_type is None:
        return None
    rt = record_type_for_model(content_type.model_class())
    return rt.key if rt else None


class ActivityKindSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="in your language, else in any it has")
    key = serializers.CharField(required=False, max_length=40, help_text="made from the name when empty; never changes")
    icon = serializers.ChoiceField(choices=[(i, i) for i in kinds.ICONS], required=False)
    shows = serializers.ListField(
        child=serializers.ChoiceField(choices=list(kinds.DETAIL_FIELDS)),
        required=False,
        help_text="the optional fields its form shows",
    )

    class Meta:
        from velinimet.activities.models import ActivityKind

        model = ActivityKind
        fields = [
            "id",
            "key",
            "name",
            "name_tr",
            "name_en",
            "name_az",
            "icon",
            "shows",
            "plannable",
            "active",
            "order",
        ]
        read_only_fields = ["id"]


class ContactRuleSerializer(serializers.ModelSerializer):
    match = serializers.ChoiceField(choices=ContactRule.Match.choices, required=False)
    kinds = serializers.ListField(child=serializers.CharField(max_length=40), required=False)

    class Meta:
        model = ContactRule
        fields = ["id", "name", "match", "value", "every_days", "kinds", "order", "active"]
        read_only_fields = ["id"]
