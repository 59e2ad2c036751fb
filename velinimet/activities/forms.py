from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers.forms import owner_field

from . import kinds
from .models import Activity, Direction, Kind, Priority, Status

if TYPE_CHECKING:
    from velinimet.accounts.models import User

RECORD_TYPE = "activities.activity"
DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"

OUTCOME_CHOICES = [
    ("", "—"),
    (_("Call"), [(o.value, o.label) for o in kinds.CALL_OUTCOMES]),
    (_("Other kinds"), [(o.value, o.label) for o in kinds.GENERAL_OUTCOMES]),
]


def _detail_field(field: kinds.DetailField) -> forms.Field:
    """The form field of one of a kind's own fields; ``data-kinds`` lets app.js show it for those kinds only."""
    shown_for = " ".join(kinds.kinds_showing(field.name))
    attrs = {"data-kinds": shown_for}
    if field.choices is not None:
        return forms.ChoiceField(
            label=field.label,
            choices=[("", "—"), *field.choices.choices],
            required=False,
            widget=forms.Select(attrs=attrs),
        )
    if field.url:
        attrs["type"] = "url"
    if field.name == "number":
        attrs["type"] = "tel"
    return forms.CharField(
        label=field.label, max_length=field.max_length, required=False, widget=forms.TextInput(attrs=attrs)
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=kinds.kind_choices, initial=Kind.CALL)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Status.DONE, _("Done: log what happened")), (Status.OPEN, _("Open: plan it (a task, a call to make)")),
                 (Status.CANCELLED, _("Cancelled"))],
        initial=Status.DONE,
        required=False,
        help_text=_("A task is open unless you say otherwise."),
    )  # fmt: skip
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    occurred_at = forms.DateTimeField(
        label=_("Date (due date when open)"), widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
    )
    ends_at = forms.DateTimeField(
        label=_("End"), required=False, widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT)
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=0, max_value=10080)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL, required=False)
    owner = owner_field(_("Assigned to"), assign_to=RECORD_TYPE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES, required=False)
    participants: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Colleagues taking part"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    people: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Their people taking part"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    body = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, record: Any = None, **kwargs: Any) -> None:
        from velinimet.accounts.selectors import active_users
        from velinimet.customers.selectors.pickers import users_for_owner

        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (  # type: ignore[attr-defined]
            active_users(user).exclude(pk=user.pk).order_by("first_name", "last_name", "username")
        )
        people = _people_of(user, record)
        if people is None:
            del self.fields["people"]
        else:
            self.fields["people"].queryset = people  # type: ignore[attr-defined]
        if level_for(user, RECORD_TYPE, Action.ASSIGN) == Level.NONE:
            del self.fields["owner"]  # their own activities only: no one to give them to
        else:
            self.fields["owner"].queryset = users_for_owner(user, RECORD_TYPE)  # type: ignore[attr-defined]
            self.fields["owner"].help_text = _("Empty: you.")
        for field in kinds.DETAIL_FIELDS.values():
            self.fields[f"details.{field.name}"] = _detail_field(field)

    @classmethod
    def for_activity(cls, activity: Activity, *, user: User, record: Any = None) -> ActivityForm:
        initial = {
            "kind": activity.kind,
            "status": activity.status,
            "direction": activity.direction,
            "subject": activity.subject,
            "occurred_at": timezone.localtime(activity.occurred_at),
            "duration_minutes": activity.duration_minutes,
            "priority": activity.priority,
            "owner": activity.owner_id,
            "outcome": activity.outcome,
            "body": activity.body,
            "version": activity.version,
            "participants": list(activity.participants.values_list("pk", flat=True)),
            "people": list(activity.people.values_list("pk", flat=True)),
        }
        initial.update({f"details.{name}": value for name, value in (activity.details or {}).items()})
        return cls(initial=initial, user=user, record=record)

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the service takes them: the kind's fields gathered into ``details``; an
        empty end or assignee left out (the service keeps the duration, and the actor owns a new one)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        details = {key.split(".", 1)[1]: data.pop(key) for key in list(data) if key.startswith("details.")}
        data["details"] = {k: v for k, v in details.items() if k in kinds.fields_of(data.get("kind") or "")}
        for key in ("ends_at", "owner", "status", "priority"):
            if data.get(key) in (None, ""):
                data.pop(key, None)
        return data


def _people_of(user: User, record: Any) -> Any:
    """The customer's people a user may pick as taking part: a company's people, or a person's colleagues
    at their primary company (the person themself included); None when there is no company."""
    from velinimet.customers.models import Company, Employment
    from velinimet.customers.selectors.records import visible_people

    if record is None:
        return None
    company_id: int | None
    if isinstance(record, Company):
        company_id = record.pk
    else:
        company_id = (
            Employment.objects.filter(person=record, is_primary=True).values_list("company_id", flat=True).first()
        )
        if company_id is None:
            return None
    return visible_people(user).filter(employments__company_id=company_id).order_by("last_name", "first_name")


class IconSelect(forms.RadioSelect):
    """The icon choice: each option shows its icon from the shipped set."""

    option_template_name = "activities/_icon_option.html"


class ActivityKindForm(forms.Form):
    name_tr = forms.CharField(label=_("Name in Turkish"), max_length=60, required=False)
    name_az = forms.CharField(label=_("Name in Azerbaijani"), max_length=60, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=60, required=False)
    key = forms.CharField(
        label=_("Key"),
        max_length=40,
        required=False,
        help_text=_("Used in the API; made from the name when empty. It never changes."),
    )
    icon = forms.ChoiceField(label=_("Icon"), choices=[(i, i) for i in kinds.ICONS], initial="star", widget=IconSelect)
    shows = forms.MultipleChoiceField(
        label=_("Fields it shows"),
        choices=[(f.name, f.label) for f in kinds.DETAIL_FIELDS.values()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    plannable = forms.BooleanField(label=_("Can be planned (a due date, then done)"), required=False, initial=True)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=10000, initial=100)


class ContactRuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    match = forms.ChoiceField(label=_("Applies to"), choices=[])
    value = forms.CharField(
        label=_("Which"),
        max_length=200,
        required=False,
        help_text=_("The tag (Key account), key=value of a custom field, person or company, or the team's id."),
    )
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=1, max_value=3660)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds that count"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any kind of contact counts."),
    )
    order = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=10000, initial=100)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import ContactRule

        super().__init__(*args, **kwargs)
        self.fields["match"].choices = ContactRule.Match.choices  # type: ignore[attr-defined]
        self.fields["kinds"].choices = kinds.kind_choices()  # type: ignore[attr-defined]
