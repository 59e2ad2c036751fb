"""Shapes of the activities API."""

from __future__ import annotations

from rest_framework import serializers

from velinimet.activities.models import Activity, Direction, Kind


class ActivitySerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", required=False, allow_null=True)
    company = serializers.IntegerField(source="company_id", required=False, allow_null=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    owner_name = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, allow_blank=True)
    occurred_at = serializers.DateTimeField(required=False)
    version = serializers.IntegerField(required=False, help_text="the version you read; a stale one is refused")

    class Meta:
        model = Activity
        fields = [
            "id", "kind", "direction", "subject", "body", "occurred_at", "duration_minutes",
            "person", "company", "owner", "owner_name", "version", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_owner_name(self, activity: Activity) -> str:
        return str(activity.owner)
