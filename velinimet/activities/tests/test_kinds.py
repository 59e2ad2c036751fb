"""An administrator's own kinds of activity, and the related-record link other modules register."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from velinimet.activities import kind_services, services
from velinimet.activities.kinds import fields_of, kind_label
from velinimet.activities.models import Activity, ActivityKind
from velinimet.activities.related import RelatedType
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.customers import services as customers
from velinimet.customers.models import Person
from velinimet.customers.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nigar(cast: Any) -> Person:
    return PersonFactory(actor=cast.rep_ist, first_name="Nigar", last_name="Əliyeva")


@pytest.fixture
def tasting(cast: Any) -> ActivityKind:
    return kind_services.activity_kind_create(
        actor=cast.admin,
        name_tr="Ürün tadımı",
        name_az="Məhsul dequstasiyası",
        icon="coffee",
        shows=["result", "place"],
    )


def test_an_administrator_adds_a_kind_with_names_icon_and_fields(
    cast: Any, tasting: ActivityKind, nigar: Person
) -> None:
    assert tasting.key == "urun_tadimi" and tasting.shows == ["place", "result"]  # the shipped order
    with translation.override("az"):
        assert kind_label(tasting.key) == "Məhsul dequstasiyası"
    with translation.override("en"):  # no English name: the Turkish one
        assert kind_label(tasting.key) == "Ürün tadımı"
    assert fields_of(tasting.key) == ("place", "result")
    activity = services.activity_log(
        actor=cast.rep_ist,
        person=nigar,
        kind=tasting.key,
        subject="Yeni çay",
        details={"place": "Kadıköy mağazası", "result": "Sipariş verdi"},
        outcome="positive",
    )
    assert activity.details == {"place": "Kadıköy mağazası", "result": "Sipariş verdi"}
    with pytest.raises(DomainError) as exc:
        services.activity_log(
            actor=cast.rep_ist, person=nigar, kind=tasting.key, subject="x", details={"tracking_number": "1"}
        )
    assert set(exc.value.errors) == {"details.tracking_number"}

    kind_services.activity_kind_update(actor=cast.admin, kind=tasting, active=False)
    with pytest.raises(DomainError) as exc:  # out of use: no new ones, the old one keeps its name
        services.activity_log(actor=cast.rep_ist, person=nigar, kind=tasting.key, subject="x")
    assert set(exc.value.errors) == {"kind"}
    assert kind_label(Activity.objects.get().kind) == "Ürün tadımı"
    with pytest.raises(DomainError) as exc:
        kind_services.activity_kind_delete(actor=cast.admin, kind=tasting)
    assert exc.value.code == "kind_in_use"


def test_bad_kinds_are_refused_with_their_reasons(cast: Any, tasting: ActivityKind) -> None:
    with pytest.raises(NotAllowed):
        kind_services.activity_kind_create(actor=cast.manager, name_tr="Demo")
    with pytest.raises(DomainError) as exc:
        kind_services.activity_kind_create(actor=cast.admin, name_tr="", icon="rocket", shows=["colour"])
    assert set(exc.value.errors) == {"name_tr", "icon", "shows", "key"}
    for key in ("call", "urun_tadimi"):  # a built-in kind's key, or one taken
        with pytest.raises(DomainError) as exc:
            kind_services.activity_kind_create(actor=cast.admin, name_en="Again", key=key)
        assert set(exc.value.errors) == {"key"}
    with pytest.raises(DomainError):
        kind_services.activity_kind_update(actor=cast.admin, kind=tasting, key="other")
    unused = kind_services.activity_kind_create(actor=cast.admin, name_en="Webinar", icon="video")
    kind_services.activity_kind_delete(actor=cast.admin, kind=unused)
    assert not ActivityKind.objects.filter(key="webinar").exists()


def test_settings_page_and_the_log_form_show_the_kind(cast: Any, nigar: Person) -> None:
    admin = Client()
    admin.force_login(cast.admin)
    response = admin.post(
        reverse("activities:kinds"),
        {
            "name_tr": "Fuar standı",
            "name_az": "Sərgi stendi",
            "icon": "flag",
            "shows": ["place"],
            "active": "on",
            "plannable": "on",
        },
    )
    assert response.status_code == 302
    kind = ActivityKind.objects.get(key="fuar_standi")
    assert (kind.icon, kind.shows, kind.active) == ("flag", ["place"], True)
    assert "Fuar standı" in admin.get(reverse("activities:kinds")).content.decode()
    bad = admin.post(reverse("activities:kinds"), {"name_tr": "", "icon": "flag"})
    assert bad.status_code == 200 and 'class="errorlist' in bad.content.decode()

    rep = Client()
    rep.force_login(cast.rep_ist)
    listing = rep.get(reverse("activities:kinds")).content.decode()
    assert "Fuar standı" in listing and '<form method="post" class="panel">' not in listing  # only admins edit
    assert rep.post(reverse("activities:kinds"), {"name_tr": "x", "icon": "flag"}).status_code == 403
    form = rep.get(f"/activities/person/{nigar.pk}/new/").content.decode()
    assert 'value="fuar_standi"' in form
    at = form.index('name="details.place"')
    tag = form[form.rindex("<", 0, at) : form.index(">", at)]
    assert 'data-kinds="visit fuar_standi"' in tag  # the form shows "place" for a visit and this kind


def test_api_lists_and_changes_kinds(cast: Any, api: Any) -> None:
    created = api(cast.admin).post(
        "/api/v1/activity-kinds/",
        {"name_en": "Demo day", "icon": "megaphone", "shows": ["place", "result"]},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["key"] == "demo_day" and body["name"] == "Demo day"
    rows = api(cast.rep_ist).get("/api/v1/activity-kinds/").json()["results"]
    assert [r["key"] for r in rows] == ["demo_day"]
    refused = api(cast.rep_ist).post("/api/v1/activity-kinds/", {"name_en": "x"}, format="json")
    assert refused.status_code == 403
    bad = api(cast.admin).patch(f"/api/v1/activity-kinds/{body['id']}/", {"icon": "rocket"}, format="json")
    assert bad.status_code == 400 and "icon" in bad.json()["errors"]


def test_an_activity_can_be_about_a_registered_record(cast: Any, registered: Any, nigar: Person) -> None:
    firm = customers.company_create(actor=cast.rep_ist, name="Qafqaz Çay MMC")
    hidden = customers.company_create(actor=cast.rep_baku, name="Gizli MMC")
    with pytest.raises(DomainError) as exc:  # nothing registered: an activity is about nothing else
        services.activity_log(actor=cast.rep_ist, person=nigar, subject="x", related=firm)
    assert set(exc.value.errors) == {"related"}
    registered("activities.related_types", RelatedType("customers.company", lambda c: f"/customers/companies/{c.pk}/"))
    activity = services.activity_log(actor=cast.rep_ist, person=nigar, kind="call", subject="Sipariş", related=firm)
    assert activity.related == firm
    with pytest.raises(DomainError) as exc:
        services.activity_log(actor=cast.rep_ist, person=nigar, subject="x", related=hidden)
    assert set(exc.value.errors) == {"related"}
    client = Client()
    client.force_login(cast.rep_ist)
    html = client.get(f"/customers/people/{nigar.pk}/").content.decode()
    assert f'href="/customers/companies/{firm.pk}/">Qafqaz Çay MMC' in html
