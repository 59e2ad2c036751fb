"""People and companies with their phones, e-mails, addresses, identifiers, tags, custom fields and consents."""

from __future__ import annotations

import decimal
import math
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from velinimet.core.models import shown
from velinimet.core.numbers import parse_number
from velinimet.core.querysets import TrashQuerySet
from velinimet.core.text import strip_invisible


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")


class Tag(models.Model):
    """A free label on people and companies; ``key`` is the folded name, unique."""

    name = models.CharField(_("name"), max_length=60)
    key = models.CharField(max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name


class CustomerRecord(models.Model):
    """What people and companies share: number, ownership, tags, custom fields, the search key, the trash."""

    customer_number = models.CharField(_("customer number"), max_length=20, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    search_key = models.CharField(max_length=300, db_index=True, editable=False)
    # "Name A–Z" in the reader's alphabet: ``core.text.sort_key`` of the name, one per alphabet, kept in step
    # by the services with search_key (``services.validation.set_name_keys``); indexed with the id for the list's keyset.
    sort_key_tr = models.CharField(max_length=255, null=True, editable=False)
    sort_key_az = models.CharField(max_length=255, null=True, editable=False)
    # ``core.text.sound_key`` of the same text: every Latin spelling of a name (Məmmədov, MAMMADOV, Mamedov)
    # gives one key. Search's spelling tier and the duplicate rules' names read it (docs/customers.md).
    sound_key = models.CharField(max_length=300, db_index=True, editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # No index: almost every row has NULL here, and an index on it lures SQLite away from better ones.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = TrashQuerySet.as_manager()  # Person.objects.live(): the records not in the trash

    class Meta:
        abstract = True


class Company(CustomerRecord):
    """A company (legal entity): Turkish VKN or Azerbaijani VÖEN, tax office, parent company and branches."""

    name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="branches",
    )
    # 10 digits, or 11 for a sole proprietorship: its owner's TCKN is its tax number (normalize_vkn)
    vkn = models.CharField(_("VKN"), max_length=11, blank=True, db_index=True)
    voen = models.CharField(_("VÖEN"), max_length=10, blank=True, db_index=True)
    tax_office = models.CharField(_("tax office"), max_length=100, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, db_index=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="companies")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["owner", "-id"]),
            models.Index(fields=["team", "-id"]),
            models.Index(fields=["-created_at", "-id"], name="company_newest"),
            models.Index(fields=["sort_key_tr", "id"], name="company_sort_tr"),
            models.Index(fields=["sort_key_az", "id"], name="company_sort_az"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Person(CustomerRecord):
    """A person: a customer, a contact at a company, or both."""

    # derived from the names, like search_key: not changes anyone made
    audit_exclude = ("sort_key_tr", "sort_key_az", "last_name_key_tr", "last_name_key_az")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    preferred_language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    preferred_channel = models.CharField(_("preferred channel"), max_length=10, choices=Channel.choices, blank=True)
    tckn = models.CharField(_("TCKN"), max_length=11, blank=True, db_index=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, db_index=True)
    # sort_key("<last name> <first name>") per alphabet: the "Last name A–Z" order, kept in step as sort_key_*
    last_name_key_tr = models.CharField(max_length=255, null=True, editable=False)
    last_name_key_az = models.CharField(max_length=255, null=True, editable=False)
    companies = models.ManyToManyField(Company, through="Employment", related_name="people", blank=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="people")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["owner", "-id"]),
            models.Index(fields=["team", "-id"]),
            models.Index(fields=["-created_at", "-id"], name="person_newest"),
            models.Index(fields=["sort_key_tr", "id"], name="person_sort_tr"),
            models.Index(fields=["sort_key_az", "id"], name="person_sort_az"),
            models.Index(fields=["last_name_key_tr", "id"], name="person_last_name_tr"),
            models.Index(fields=["last_name_key_az", "id"], name="person_last_name_az"),
        ]

    def __str__(self) -> str:
        return shown(f"{self.first_name} {self.last_name}".strip())  # an erased name in the reader's language


class Employment(models.Model):
    """A person works at a company with a title; one employment may be marked primary."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employments")
    title = models.CharField(_("title"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary"), default=True)

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        constraints = [models.UniqueConstraint(fields=["person", "company"], name="employment_unique")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.company}"


def _one_owner() -> Q:
    return Q(person__isnull=False, company__isnull=True) | Q(person__isnull=True, company__isnull=False)


def _holder(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """The two nullable links of a contact point; a check constraint makes exactly one of them set."""
    return (
        models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name=related_name),
        models.ForeignKey(Company, null=True, blank=True, on_delete=models.CASCADE, related_name=related_name),
    )


class ContactPoint(models.Model):
    """Belongs to exactly one person or one company."""

    person: models.ForeignKey
    company: models.ForeignKey
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        abstract = True

    @property
    def holder(self) -> Person | Company | None:
        return self.person or self.company


class Phone(ContactPoint):
    """A phone number in E.164 (``+905321234567``) with the national format kept for display."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", _("Mobile")
        WORK = "work", _("Work")
        HOME = "home", pgettext_lazy("phone or address type", "Home")
        FAX = "fax", _("Fax")

    person, company = _holder("phones")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    e164 = models.CharField(_("number"), max_length=20, db_index=True)
    national = models.CharField(_("display"), max_length=30)
    tail = models.CharField(max_length=7, db_index=True, editable=False, default="")  # normalize.phone_tail

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [models.CheckConstraint(condition=_one_owner(), name="phone_one_owner")]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The display form in the reader's language: ``national`` keeps phonenumbers' language-neutral
        " ext. " (the form reads it back), shown as the reader's word for an extension."""
        text = self.national or self.e164
        return text.replace(" ext. ", f" {pgettext('phone extension', 'ext.')} ") if " ext. " in text else text


class Email(ContactPoint):
    """An e-mail address: the domain lower-cased, the local part as typed (it may be case-sensitive)."""

    person, company = _holder("emails")
    address = models.CharField(_("e-mail"), max_length=254)
    key = models.CharField(max_length=254, db_index=True, editable=False)  # fully lower-cased, for lookup
    domain = models.CharField(max_length=254, db_index=True, editable=False, default="")  # of the key

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        constraints = [models.CheckConstraint(condition=_one_owner(), name="email_one_owner")]

    def __str__(self) -> str:
        return self.address


class Address(ContactPoint):
    """A postal address: Turkish il/ilçe/mahalle or Azerbaijani şəhər/rayon/qəsəbə."""

    class Kind(models.TextChoices):
        HOME = "home", pgettext_lazy("phone or address type", "Home")
        WORK = "work", _("Work")
        BILLING = "billing", _("Billing")
        SHIPPING = "shipping", _("Shipping")

    person, company = _holder("addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.WORK)
    country = models.CharField(_("country"), max_length=2, default="TR")
    city = models.CharField(_("city (il / şəhər)"), max_length=60, blank=True)
    district = models.CharField(_("district (ilçe / rayon)"), max_length=60, blank=True)
    neighbourhood = models.CharField(_("neighbourhood (mahalle / qəsəbə)"), max_length=100, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city_key = models.CharField(max_length=60, db_index=True, editable=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [models.CheckConstraint(condition=_one_owner(), name="address_one_owner")]

    def __str__(self) -> str:
        parts = [self.street, self.neighbourhood, self.district, self.city, self.postal_code]
        return ", ".join(p for p in parts if p)


class CardNumber(ContactPoint):
    """A loyalty card number, searchable; the loyalty module adds points and tiers later."""

    person, company = _holder("cards")
    number = models.CharField(_("card number"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("card number")
        verbose_name_plural = _("card numbers")
        constraints = [models.CheckConstraint(condition=_one_owner(), name="card_one_owner")]

    def __str__(self) -> str:
        return self.number


MAX_EXACT_NUMBER = 2**53 - 1


class CustomField(models.Model):
    """An administrator-defined field on people or companies; values live in the record's ``custom``."""

    class RecordType(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        MULTI = "multi", _("Multiple choice")
        BOOLEAN = "boolean", _("Yes/no")

    record_type = models.CharField(_("record type"), max_length=10, choices=RecordType.choices)
    key = models.SlugField(_("key"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    # The label in each language, shown to a reader of that language (``shown_label``); empty: ``label``.
    label_tr = models.CharField(_("label in Turkish"), max_length=100, blank=True)
    label_en = models.CharField(_("label in English"), max_length=100, blank=True)
    label_az = models.CharField(_("label in Azerbaijani"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["record_type", "order", "label"]
        constraints = [models.UniqueConstraint(fields=["record_type", "key"], name="custom_field_unique_key")]

    def __str__(self) -> str:
        return self.shown_label

    @property
    def shown_label(self) -> str:
        """The label in the reader's language, else the label as the administrator wrote it."""
        language = (get_language() or "").split("-")[0]
        return getattr(self, f"label_{language}", "") or self.label

    def labels(self) -> set[str]:
        """Every label of the field, in any language (an import column may be headed by any of them)."""
        return {label for label in (self.label, self.label_tr, self.label_en, self.label_az) if label}

    def parse(self, value: Any) -> Any:
        """``value`` as this field stores it (a number, an ISO date, a choice…); ``ValueError`` when it is not one."""
        kind = self.kind
        if kind == self.Kind.TEXT:
            return strip_invisible(str(value))  # its length is checked by clean_custom
        if kind == self.Kind.NUMBER:
            if isinstance(value, bool):
                raise ValueError(value)
            if isinstance(value, int | float | decimal.Decimal):  # a JSON number, a form's cleaned value
                number = float(value)
            else:  # what a person typed, in their language's form ("1.250.000,50"): core.numbers.NumberError
                number = float(parse_number(str(value)))
            if not math.isfinite(number):  # "nan", "inf", "1e400": not numbers a person means, nor valid JSON
                raise ValueError(value)
            if abs(number) > MAX_EXACT_NUMBER:  # past 2**53 a JSON number loses digits, and SQLite cannot bind 2**63
                raise ValueError(value)
            return int(number) if number.is_integer() else number
        if kind == self.Kind.DATE:
            from velinimet.customers.normalize import parse_date  # the one date rule (InvalidValue is a ValueError)

            return parse_date(value).isoformat()
        if kind == self.Kind.BOOLEAN:
            if isinstance(value, bool):
                return value
            if str(value).lower() in {"true", "1", "yes", "on", "evet", "bəli"}:
                return True
            if str(value).lower() in {"false", "0", "no", "off", "hayır", "xeyr"}:
                return False
            raise ValueError(value)
        if kind == self.Kind.CHOICE:
            if value not in self.choices:
                raise ValueError(value)
            return value
        if kind == self.Kind.MULTI:
            items = value if isinstance(value, list) else [value]
            if any(item not in self.choices for item in items):
                raise ValueError(value)
            return list(dict.fromkeys(items))
        raise ValueError(kind)


class Consent(models.Model):
    """One consent decision (append-only): the latest per person and channel is in force."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    at = models.DateTimeField(_("date"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    kvkk_text_version = models.CharField(_("KVKK clarification text version"), max_length=30, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "channel", "-at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.channel} {self.status}"


class SavedView(models.Model):
    """A user's saved list filter (query string) for people or companies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    kind = models.CharField(max_length=10, choices=CustomField.RecordType.choices)
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "kind", "name"], name="saved_view_unique_name")]

    def __str__(self) -> str:
        return self.name


class IncomingCall(models.Model):
    """A call the phone system reported; the user at that extension gets a screen-pop while it is fresh."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    extension = models.CharField(_("extension"), max_length=20)
    number = models.CharField(_("number"), max_length=40)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("incoming call")
        verbose_name_plural = _("incoming calls")
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.number} → {self.extension}"


class Merge(models.Model):
    """A merge of two records, with what is needed to undo it: the survivor's earlier values and the moved rows."""

    kind = models.CharField(max_length=10, choices=CustomField.RecordType.choices)
    survivor_id = models.PositiveBigIntegerField()
    merged_id = models.PositiveBigIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    survivor_before = models.JSONField(default=dict)
    # The survivor's values right after the merge: an undo keeps what was edited since (null: merged before
    # this was kept, so an undo cannot tell and refuses when the survivor changed since, see merge_undo).
    survivor_after = models.JSONField(null=True, blank=True)
    moved = models.JSONField(default=dict)  # {"customers.phone": [ids], ...}
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.merged_id} → {self.survivor_id}"


class DuplicatePair(models.Model):
    """A pair the duplicate finder proposed in one run (``job``), scored, kept to page through.

    ``a`` < ``b`` are the two record ids; ``reasons`` the codes of the ``matching.RULES`` the pair matches
    by, between commas (",phone,name_city,"); ``rank`` orders the run's pairs strongest first, then by
    ids (``rank_of``), in one indexed column, so that the results page by keyset: page 2,000 of 400,000
    pairs costs what page 1 costs."""

    #: Scores run from 1 to MAX_SCORE (``matching.score``).
    MAX_SCORE = 100
    #: rank = (MAX_SCORE - score) << RANK_BITS | sequence: 2**40 pairs per run is far beyond any database.
    RANK_BITS = 40

    # no index of its own: the (job, rank) unique index serves every lookup by job, and the cascade
    job = models.ForeignKey("core.Job", on_delete=models.CASCADE, related_name="+", db_index=False)
    kind = models.CharField(max_length=10, choices=CustomField.RecordType.choices)
    rank = models.PositiveBigIntegerField()
    a = models.PositiveBigIntegerField()
    b = models.PositiveBigIntegerField()
    score = models.PositiveSmallIntegerField()
    reasons = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        constraints = [models.UniqueConstraint(fields=["job", "rank"], name="duplicate_pair_rank")]
        indexes = [models.Index(fields=["job", "reasons", "rank"], name="duplicate_pair_reasons")]

    def __str__(self) -> str:
        return f"{self.kind} {self.a} ~ {self.b} ({self.score})"

    @property
    def codes(self) -> list[str]:
        return [code for code in self.reasons.split(",") if code]

    @classmethod
    def rank_of(cls, score: int, sequence: int) -> int:
        """The sort key of a pair: ascending rank is descending score, then the order the pairs were found
        in (by the lower id, then the higher one)."""
        return (cls.MAX_SCORE - score) << cls.RANK_BITS | sequence

    @classmethod
    def rank_limit(cls, min_score: int) -> int:
        """The ranks of the pairs scoring ``min_score`` or more are below this: a minimum score is a range
        of the (job, rank) index, not a scan of every pair for its score."""
        return (cls.MAX_SCORE - max(0, min(cls.MAX_SCORE, min_score)) + 1) << cls.RANK_BITS


class NotDuplicate(models.Model):
    """Two records a user marked "not a duplicate": the finder never proposes the pair again (until undone).

    ``low`` < ``high`` are the record ids, so a pair is stored once whichever way round it was marked."""

    kind = models.CharField(max_length=10, choices=CustomField.RecordType.choices)
    low = models.PositiveBigIntegerField()
    high = models.PositiveBigIntegerField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["kind", "low", "high"], name="not_duplicate_once"),
            models.CheckConstraint(condition=models.Q(low__lt=models.F("high")), name="not_duplicate_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.low} ≠ {self.high}"
