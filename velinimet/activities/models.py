"""The activity timeline: every call, visit, e-mail, SMS, parcel, social post, service visit, event and task
with a customer, newest first on the 360° page."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    POST = "post", _("Post / cargo")
    SOCIAL = "social", _("Social media")
    SERVICE = "service", _("On-site service")
    EVENT = "event", _("Event invitation")
    TASK = "task", _("Task")
    NOTE = "note", _("Note")


class Direction(models.TextChoices):
    NONE = "", _("—")
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class Status(models.TextChoices):
    """What happened (``done``) or is still to do (``open``: a task, a planned call or visit)."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Outcome(models.TextChoices):
    """How it went: a call's four outcomes, and three for every other kind (``kinds.outcomes_of``)."""

    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    VOICEMAIL = "voicemail", _("Voicemail")
    POSITIVE = "positive", _("Positive")
    NEUTRAL = "neutral", _("Neutral")
    NEGATIVE = "negative", _("Negative")


class Activity(models.Model):
    """One conversation or piece of work with a person and/or a company."""

    # a built-in ``Kind`` or the key of an administrator's own ``ActivityKind``
    kind = models.CharField(_("kind"), max_length=40, default=Kind.NOTE)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, blank=True, default="")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("details"), blank=True)
    occurred_at = models.DateTimeField(_("date"))  # when it happened, or is due while it is open
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True, default="")
    # the kind's own fields (``activities.kinds``): a call's number, a parcel's tracking number, …
    details = models.JSONField(_("kind details"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # the ringing call this activity logs (from the screen-pop, or logged by itself when nobody did)
    incoming_call = models.OneToOneField(
        "customers.IncomingCall", null=True, blank=True, on_delete=models.SET_NULL, related_name="activity"
    )
    person = models.ForeignKey(
        "customers.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    company = models.ForeignKey(
        "customers.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # the deal, order or case it was about: a record type another module registers (``activities.related_types``)
    related_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    # who took part besides the owner: colleagues, and the customer's people (a company visit's attendees)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="activities_joined"
    )
    people = models.ManyToManyField(
        "customers.Person",
        verbose_name=_("people taking part"),
        blank=True,
        through="ActivityPerson",
        related_name="activities_joined",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The timeline of one customer, newest first, walked by keyset (occurred_at, id).
            models.Index(fields=["person", "-occurred_at", "-id"], name="activity_person_timeline"),
            models.Index(fields=["company", "-occurred_at", "-id"], name="activity_company_timeline"),
            models.Index(fields=["owner", "-occurred_at"], name="activity_owner_recent"),
            # what is still to do, soonest first: the "Upcoming" list of a customer and of a user's day
            models.Index(fields=["person", "occurred_at"], name="activity_person_open", condition=Q(status="open")),
            models.Index(fields=["company", "occurred_at"], name="activity_company_open", condition=Q(status="open")),
            models.Index(fields=["owner", "occurred_at"], name="activity_owner_open", condition=Q(status="open")),
            models.Index(fields=["related_type", "related_id"], name="activity_related"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(company__isnull=False), name="activity_has_customer"
            ),
            models.CheckConstraint(
                condition=Q(related_type__isnull=True, related_id__isnull=True)
                | Q(related_type__isnull=False, related_id__isnull=False),
                name="activity_related_whole",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label) if self.outcome in Outcome.values else self.outcome

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def ends_at(self) -> datetime.datetime | None:
        if self.duration_minutes is None:
            return None
        return self.occurred_at + datetime.timedelta(minutes=self.duration_minutes)


class ActivityPerson(models.Model):
    """A person of the customer who took part in an activity; follows a merge to the survivor like any
    customer child (``activities.registrations``), so it has no uniqueness to collide on then."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("customers.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["person"], name="activity_person_joined")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.activity_id}"


class ActivityKind(models.Model):
    """A kind of activity an administrator added (a "Demo", a "Tasting"): its name in each language, an
    icon from the shipped set, and which of the optional fields (``kinds.DETAIL_FIELDS``) it shows."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name_tr = models.CharField(_("name (Turkish)"), max_length=60, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=60, blank=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=60, blank=True)
    icon = models.CharField(_("icon"), max_length=20, default="star")
    shows = models.JSONField(_("fields it shows"), default=list, blank=True)
    plannable = models.BooleanField(_("can be planned"), default=True)
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language, else in any language it has, else the key."""
        from django.utils.translation import get_language

        language = (get_language() or "tr")[:2]
        own = getattr(self, f"name_{language}", "") if language in ("tr", "en", "az") else ""
        return own or self.name_tr or self.name_en or self.name_az or self.key


class ContactRule(models.Model):
    """How often customers must be contacted: "tag Key account: every 14 days by visit or call", "everyone
    else: every 90 days by any kind". Rules are tried in ``order``; a customer follows the first rule that
    matches it. A rule with no condition matches everyone left."""

    class Match(models.TextChoices):
        EVERYONE = "everyone", _("Everyone else")
        TAG = "tag", _("Tag")
        CUSTOM = "custom", _("Custom field value")
        TYPE = "type", _("Customer type")
        TEAM = "team", _("Owner's team")

    name = models.CharField(_("name"), max_length=100)
    match = models.CharField(_("applies to"), max_length=10, choices=Match.choices, default=Match.EVERYONE)
    value = models.CharField(
        _("value"), max_length=200, blank=True, help_text=_("The tag, key=value, person/company or team id.")
    )
    every_days = models.PositiveIntegerField(_("every (days)"))
    kinds = models.JSONField(_("kinds that count"), default=list, blank=True)  # empty: any kind
    order = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("contact rule")
        verbose_name_plural = _("contact rules")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class DueContact(models.Model):
    """A customer due for contact under a rule, as the last computation found it (``contacts_compute``):
    the owner's "whom to call or visit" list on My day, worst first."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("customers.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey("customers.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ContactRule, on_delete=models.CASCADE, related_name="+")
    last_contact_at = models.DateTimeField(null=True, blank=True)
    due_since = models.DateField()
    days_overdue = models.IntegerField()
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["owner", "-days_overdue"], name="due_contact_owner")]

    def __str__(self) -> str:
        return f"{self.person_id or self.company_id} due since {self.due_since}"


class CalendarFeed(models.Model):
    """A user's private iCal address: the token in its URL is the only key, so a new one revokes the old."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"
