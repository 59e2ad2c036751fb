from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity, Direction, Kind


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.CALL)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("Date"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=0, max_value=10080)
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_activity(cls, activity: Activity) -> ActivityForm:
        from django.utils import timezone

        return cls(
            initial={
                "kind": activity.kind,
                "direction": activity.direction,
                "subject": activity.subject,
                "occurred_at": timezone.localtime(activity.occurred_at),
                "duration_minutes": activity.duration_minutes,
                "body": activity.body,
                "version": activity.version,
            }
        )
