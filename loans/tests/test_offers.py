"""Several bankers and their offers, over the API: submit to up to five
(each checked, every problem named, nothing sent on a refusal), offers with
guardrails, the owner's comparison, accept and decline, withdraw, expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory
from loans import services
from loans.models import ApplicationEvent, ApplicationTrack, LoanApplication, Offer, Status
from loans.tests.factories import DraftFactory
from notifications.models import Notification
from tests.jobs import send_queued_emails

pytestmark = pytest.mark.django_db

TERMS = {"approved_amount": "240000.00", "interest_rate": "7.250", "term_months": 48}
MONEY = {"approved_amount", "interest_rate", "origination_fee"}


def url(pk: int, tail: str = "") -> str:
    return f"/api/v1/applications/{pk}/{tail}"


def bankers(count: int, **profile: Any) -> list[Any]:
    return [BankerFactory(**{f"profile__{k}": v for k, v in profile.items()}) for _ in range(count)]


def sent_to(owner: Any, chosen: list[Any]) -> LoanApplication:
    draft = DraftFactory(owner=owner)
    services.application_submit(actor=owner, application_id=draft.pk, banker_ids=[b.pk for b in chosen])
    return LoanApplication.objects.get(pk=draft.pk)


def offered(owner: Any, chosen: list[Any], **terms: Any) -> tuple[LoanApplication, list[Offer]]:
    application = sent_to(owner, chosen)
    for banker in chosen:
        services.application_start_review(actor=banker, application_id=application.pk)
        services.application_approve(
            actor=banker,
            application_id=application.pk,
            **{k: Decimal(str(v)) if k in MONEY else v for k, v in {**TERMS, **terms}.items()},
        )
    offers = list(Offer.objects.filter(track__application=application).order_by("pk"))
    return LoanApplication.objects.get(pk=application.pk), offers


# --- submit to several ---------------------------------------------------------


def test_submit_to_three_bankers_opens_three_tracks_and_tells_each(api_as: Any, owner_a: Any) -> None:
    chosen = bankers(3)
    draft = DraftFactory(owner=owner_a)
    response = api_as(owner_a).post(
        url(draft.pk, "submit/"), {"bankers": [b.pk for b in chosen]}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["banker"]) == ("submitted", None)
    assert [t["banker"]["id"] for t in body["tracks"]] == [b.pk for b in chosen]
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(b.pk for b in chosen)
    assert ApplicationEvent.objects.filter(application_id=draft.pk).count() == 3


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: [b.pk for b in bankers(6)], ["at most 5", "6 chosen"]),
        (lambda: [bankers(1)[0].pk] * 2, ["chosen twice"]),
        (lambda: [bankers(1, verification_status=VerificationStatus.PENDING)[0].pk], ["not verified"]),
        (lambda: [bankers(1, accepting_new_clients=False)[0].pk], ["not accepting new clients"]),
    ],
)
def test_submit_refusals_name_each_problem_and_send_nothing(
    api_as: Any, owner_a: Any, make: Any, words: list[str]
) -> None:
    draft = DraftFactory(owner=owner_a)
    chosen = make()
    response = api_as(owner_a).post(url(draft.pk, "submit/"), {"bankers": chosen}, format="json")
    assert response.status_code == 400, response.json()
    for word in words:
        assert word in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not ApplicationTrack.objects.exists()
    assert not Notification.objects.exists()


def test_submit_refusal_names_every_banker_that_fails(api_as: Any, owner_a: Any) -> None:
    good = bankers(1)[0]
    closed = bankers(1, accepting_new_clients=False)[0]
    pending = bankers(1, verification_status=VerificationStatus.PENDING)[0]
    draft = DraftFactory(owner=owner_a)
    response = api_as(owner_a).post(
        url(draft.pk, "submit/"), {"bankers": [good.pk, closed.pk, pending.pk]}, format="json"
    )
    detail = response.json()["detail"]
    assert response.json()["code"] == "bankers_not_eligible"
    assert closed.get_full_name() in detail
    assert pending.get_full_name() in detail
    assert good.get_full_name() not in detail
    assert not ApplicationTrack.objects.exists()


# --- a banker sees only their own track -------------------------------------------


def test_a_banker_never_sees_another_bankers_track_offer_or_identity(api_as: Any, owner_a: Any) -> None:
    x, y = bankers(2)
    application, (offer_x, offer_y) = offered(owner_a, [x, y])
    Offer.objects.filter(pk=offer_x.pk).update(conditions="Secret terms of X")
    seen = api_as(y).get(url(application.pk)).json()
    assert [t["banker"]["id"] for t in seen["tracks"]] == [y.pk]
    text = str(seen) + str(api_as(y).get(url(application.pk, "events/")).json())
    text += str(api_as(y).get(url(application.pk, "offers/")).json())
    assert x.get_full_name() not in text
    assert "Secret terms of X" not in text
    assert [o["id"] for o in api_as(y).get(url(application.pk, "offers/")).json()] == [offer_y.pk]
    assert [o["id"] for o in api_as(owner_a).get(url(application.pk, "offers/")).json()] == [
        offer_x.pk,
        offer_y.pk,
    ]


def test_respond_takes_banker_when_several_asked(api_as: Any, owner_a: Any) -> None:
    x, y = bankers(2)
    application = sent_to(owner_a, [x, y])
    for banker in (x, y):
        services.application_start_review(actor=banker, application_id=application.pk)
        services.application_request_info(actor=banker, application_id=application.pk, note="Accounts?")
    owner = api_as(owner_a)
    refused = owner.post(url(application.pk, "respond/"), {"note": "Attached"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (400, "banker_required")
    answered = owner.post(
        url(application.pk, "respond/"), {"note": "Attached", "banker": y.pk}, format="json"
    )
    assert answered.status_code == 200
    statuses = dict(ApplicationTrack.objects.values_list("banker_id", "status"))
    assert statuses == {x.pk: "info_requested", y.pk: "in_review"}


# --- offers: guardrails and figures ------------------------------------------------


def test_an_offer_shows_payment_apr_and_total_cost(api_as: Any, owner_a: Any) -> None:
    application, (offer,) = offered(owner_a, bankers(1), origination_fee="2400.00")
    (shown,) = api_as(owner_a).get(url(application.pk, "offers/")).json()
    assert shown["status"] == "open"
    assert (shown["monthly_payment"], shown["apr"]) == ("5774.98", "7.771")
    assert shown["total_cost"] == "39599.04"
    assert timedelta(days=13) < offer.expires_at - timezone.now() <= timedelta(days=14)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"approved_amount": "250000.01"}, "approved_amount"),  # above the 250,000 requested
        ({"interest_rate": "36.001"}, "interest_rate"),
        ({"origination_fee": "12000.01"}, "origination_fee"),  # 5% of 240,000 is 12,000
        ({"term_months": 361}, "term_months"),
        ({"expires_at": "2099-01-01T00:00:00Z"}, "expires_at"),
    ],
)
def test_offer_outside_the_platforms_bounds_is_400_naming_the_field(
    api_as: Any, owner_a: Any, terms: dict[str, Any], field: str
) -> None:
    banker = bankers(1)[0]
    application = sent_to(owner_a, [banker])
    services.application_start_review(actor=banker, application_id=application.pk)
    response = api_as(banker).post(url(application.pk, "approve/"), {**TERMS, **terms}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not Offer.objects.exists()
    assert ApplicationTrack.objects.get().status == "in_review"


@pytest.mark.parametrize("amount", [240000.5, "240000.123", "-1.00", "NaN"])
def test_money_as_float_three_places_negative_or_nan_is_400(api_as: Any, owner_a: Any, amount: Any) -> None:
    banker = bankers(1)[0]
    application = sent_to(owner_a, [banker])
    services.application_start_review(actor=banker, application_id=application.pk)
    for field in ("approved_amount", "origination_fee"):
        response = api_as(banker).post(
            url(application.pk, "approve/"), {**TERMS, field: amount}, format="json"
        )
        assert response.status_code == 400, (field, response.json())
        assert field in response.json()
    assert not Offer.objects.exists()


# --- accept, decline, withdraw, expiry ------------------------------------------------


def test_accept_closes_every_other_open_track_and_tells_their_bankers(
    api_as: Any, owner_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    x, y, z = bankers(3)
    application, (offer_x, offer_y) = offered(owner_a, [x, y])
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner_a).post(
            url(application.pk, f"offers/{offer_y.pk}/accept/"), {}, format="json"
        )
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    assert response.json()["banker"]["id"] == y.pk
    statuses = dict(ApplicationTrack.objects.values_list("banker_id", "status"))
    assert statuses == {x.pk: "not_selected", y.pk: "accepted"}
    assert dict(Offer.objects.values_list("pk", "status")) == {
        offer_x.pk: "not_selected",
        offer_y.pk: "accepted",
    }
    told = dict(Notification.objects.values_list("recipient_id", "kind"))
    assert told == {x.pk: "application.not_selected", y.pk: "application.accepted"}
    send_queued_emails()  # earlier notifications' jobs find nothing to send: they were deleted
    assert sorted(m.to[0] for m in mail.outbox) == sorted([x.email, y.email])
    assert api_as(x).get(url(application.pk)).json()["status"] == "not_selected"
    again = api_as(owner_a).post(url(application.pk, f"offers/{offer_x.pk}/accept/"), {}, format="json")
    assert (again.status_code, again.json()["code"]) == (409, "offer_not_selected")
    twice = api_as(owner_a).post(url(application.pk, f"offers/{offer_y.pk}/accept/"), {}, format="json")
    assert twice.status_code == 409
    assert z.pk not in told


def test_an_expired_offer_reads_expired_and_cannot_be_accepted(api_as: Any, owner_a: Any) -> None:
    application, (offer,) = offered(owner_a, bankers(1))
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    owner = api_as(owner_a)
    assert owner.get(url(application.pk)).json()["status"] == "expired"
    assert owner.get(url(application.pk, "offers/")).json()[0]["status"] == "expired"
    assert owner.get(url(application.pk)).json()["actions"] == []
    refused = owner.post(url(application.pk, f"offers/{offer.pk}/accept/"), {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "offer_expired")
    assert services.offer_expire(offer_id=offer.pk) is True
    assert Offer.objects.get(pk=offer.pk).status == "expired"
    assert LoanApplication.objects.get(pk=application.pk).status == Status.EXPIRED
    assert services.offers_due() == []


def test_a_withdrawn_offer_cannot_be_accepted_and_the_track_is_back_in_review(
    api_as: Any, owner_a: Any
) -> None:
    banker = bankers(1)[0]
    application, (offer,) = offered(owner_a, [banker])
    withdrawn = api_as(banker).post(url(application.pk, f"offers/{offer.pk}/withdraw/"), {}, format="json")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "in_review"
    refused = api_as(owner_a).post(url(application.pk, f"offers/{offer.pk}/accept/"), {}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "offer_withdrawn")


def test_decline_an_offer_with_an_optional_reason(api_as: Any, owner_a: Any) -> None:
    x, y = bankers(2)
    application, (offer_x, _) = offered(owner_a, [x, y])
    response = api_as(owner_a).post(
        url(application.pk, f"offers/{offer_x.pk}/decline/"), {"reason": "Rate too high"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"  # y's offer is still open
    assert Offer.objects.get(pk=offer_x.pk).decline_reason == "Rate too high"
    assert ApplicationTrack.objects.get(banker=x).status == "declined"


def test_an_offer_on_a_track_the_banker_does_not_own_is_404(api_as: Any, owner_a: Any) -> None:
    x, y = bankers(2)
    application, (offer_x, _) = offered(owner_a, [x, y])
    response = api_as(y).post(url(application.pk, f"offers/{offer_x.pk}/withdraw/"), {}, format="json")
    assert response.status_code == 404
    assert Offer.objects.get(pk=offer_x.pk).status == "open"


def test_accept_costs_a_fixed_number_of_statements(owner_a: Any, django_assert_num_queries: Any) -> None:
    application, offers = offered(owner_a, bankers(5))
    # One transaction for five tracks: savepoint, lock, tracks, offers; the accepted
    # offer and track, four other offers and tracks, the application; five events,
    # one audit row; five notifications (savepoint, insert, its email job, release); release.
    with django_assert_num_queries(42):
        services.offer_accept(actor=owner_a, application_id=application.pk, offer_id=offers[2].pk)


def test_the_status_filter_is_the_viewers_status(api_as: Any, owner_a: Any) -> None:
    """A banker filters on their own track: another bank's accepted offer does not
    make the application 'accepted' for them; an owner's ran-out offer is expired."""
    x, y = bankers(2)
    application, (offer_x, _) = offered(owner_a, [x, y])
    services.offer_accept(actor=owner_a, application_id=application.pk, offer_id=offer_x.pk)

    def ids(client: Any, status: str) -> list[int]:
        return [a["id"] for a in client.get("/api/v1/applications/", {"status": status}).json()["results"]]

    assert ids(api_as(y), "accepted") == []
    assert ids(api_as(y), "not_selected") == [application.pk]
    assert ids(api_as(x), "accepted") == [application.pk]
    running_out, (offer,) = offered(owner_a, [x])
    Offer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert ids(api_as(owner_a), "expired") == [running_out.pk]
    assert ids(api_as(owner_a), "approved") == []
