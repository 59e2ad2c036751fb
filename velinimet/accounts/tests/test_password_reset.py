""" "Forgot password": a link by e-mail through a real SMTP server, the same answer for any name, limited,
one-time and expiring, and the password rules on the new password."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import translation

from conftest import PASSWORD
from velinimet.accounts import services
from velinimet.core.models import AuditEntry

from .mail import Inbox

pytestmark = pytest.mark.django_db
NEW = "Yepyeni-parola-2026"
LINK = re.compile(r"https?://\S+/login/reset/\S+/")


@pytest.fixture
def with_email(cast: Any) -> Any:
    services.user_update(actor=cast.admin, user=cast.rep_ist, email="Rep.Ist@Firma.com.tr")
    services.user_update(actor=cast.admin, user=cast.rep_baku, email="rep.baku@firma.az")
    return cast


def ask(client: Client, identifier: str, ip: str = "198.51.100.4") -> Any:
    return client.post("/login/forgot/", {"identifier": identifier}, REMOTE_ADDR=ip)


def test_the_login_page_links_to_forgot_password(cast: Any) -> None:
    assert 'href="/login/forgot/"' in Client().get("/login/").content.decode()


def test_the_link_arrives_by_smtp_and_sets_a_new_password(with_email: Any, smtp_inbox: Inbox) -> None:
    client = Client()
    response = ask(client, "rep.ist@firma.com.tr")
    assert response["Location"] == "/login/"
    [mail] = smtp_inbox.wait(1)
    assert mail["X-Envelope-To"] == "Rep.Ist@firma.com.tr"
    with translation.override("tr"):  # the user's language
        assert mail["Subject"] != "Reset your Velinimet password"
    link = LINK.search(Inbox.body(mail)).group(0)  # type: ignore[union-attr]
    path = link.split("testserver", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and 'name="new_password"' in page.content.decode()
    done = client.post(path, {"new_password": NEW, "new_password2": NEW})
    assert done["Location"] == "/login/"
    assert client.post("/login/", {"username": "rep_ist", "password": NEW}).status_code == 302
    assert client.post(path, {"new_password": "Bir-daha-2026x", "new_password2": "Bir-daha-2026x"}).status_code == 400
    with_email.rep_ist.refresh_from_db()
    assert with_email.rep_ist.check_password(NEW)  # the link worked once
    codes = list(AuditEntry.objects.filter(object_id=str(with_email.rep_ist.pk)).values_list("code", flat=True))
    assert "accounts.user.password_reset_requested" in codes and "accounts.user.password_reset" in codes


def test_the_answer_is_the_same_for_a_name_nobody_has(with_email: Any, smtp_inbox: Inbox) -> None:
    known, unknown, no_mail = (
        ask(Client(), "rep_baku"),
        ask(Client(), "kimse.yok@firma.com.tr"),
        ask(Client(), "reader"),
    )
    assert known.status_code == unknown.status_code == no_mail.status_code == 302
    assert known["Location"] == unknown["Location"] == no_mail["Location"]
    assert len(smtp_inbox.wait(1)) == 1 and smtp_inbox.messages[0]["X-Envelope-To"] == "rep.baku@firma.az"
    with translation.override("az"):
        assert smtp_inbox.messages[0]["Subject"] != "Reset your Velinimet password"


def test_requests_are_limited_per_name_and_per_address(with_email: Any, settings: Any, smtp_inbox: Inbox) -> None:
    for _ in range(settings.PASSWORD_RESET_PER_NAME_PER_HOUR):
        assert ask(Client(), "REP_IST").status_code == 302
    assert ask(Client(), "rep_ist", ip="198.51.100.9").status_code == 429
    assert ask(Client(), "kimse", ip="198.51.100.9").status_code == 302  # per name, for any name
    for _ in range(settings.PASSWORD_RESET_PER_NAME_PER_HOUR):
        ask(Client(), "kimse")
    assert ask(Client(), "kimse").status_code == 429  # names nobody has count the same
    settings.PASSWORD_RESET_PER_IP_PER_HOUR = 2
    assert [ask(Client(), f"ad{i}", ip="192.0.2.1").status_code for i in range(3)] == [302, 302, 429]
    assert len(smtp_inbox.wait(3)) == settings.PASSWORD_RESET_PER_NAME_PER_HOUR


def test_the_new_password_follows_the_password_rules(with_email: Any, smtp_inbox: Inbox) -> None:
    client = Client()
    ask(client, "rep_ist")
    path = LINK.search(Inbox.body(smtp_inbox.wait(1)[0])).group(0).split("testserver", 1)[1]  # type: ignore[union-attr]
    for weak in ("1234567890", "short", "rep_ist12345"):
        response = client.post(path, {"new_password": weak, "new_password2": weak})
        assert response.status_code == 200 and response.context["form"].errors["new_password"]
    assert client.post(path, {"new_password": NEW, "new_password2": NEW + "x"}).status_code == 200
    with_email.rep_ist.refresh_from_db()
    assert with_email.rep_ist.check_password(PASSWORD)


def test_an_expired_or_forged_link_is_refused(with_email: Any, settings: Any, monkeypatch: Any) -> None:
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(with_email.rep_ist.pk))
    token = default_token_generator.make_token(with_email.rep_ist)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    assert Client().get(path).status_code == 200
    later = datetime.datetime.now() + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert Client().get(path).status_code == 400
    monkeypatch.undo()
    other = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token[:-2] + "xx"})
    assert Client().get(other).status_code == 400
    assert Client().get("/login/reset/bm90LWFuLWlk/abc-def/").status_code == 400
