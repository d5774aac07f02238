"""Each application sent to a banker before tracks becomes one track for that
banker, with its events attached to the track; an approved one gets an open
offer from its terms (monthly payment and APR computed as for a new offer,
expiring 14 days from the migration, so it still reads as `approved`)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import migrations
from django.utils import timezone

from loans.finance import offer_figures

TRACK_STATUS = {"approved": "offered"}
TRIGGER = "loans_application_event_append_only"


def forward(apps: Any, schema_editor: Any) -> None:
    application_model = apps.get_model("loans", "LoanApplication")
    track_model = apps.get_model("loans", "ApplicationTrack")
    offer_model = apps.get_model("loans", "Offer")
    event_model = apps.get_model("loans", "ApplicationEvent")
    now = timezone.now()
    sent = application_model.objects.exclude(status="draft").exclude(banker__isnull=True)
    # Attaching old events to their track is the one update events ever get.
    schema_editor.execute(f"ALTER TABLE loans_applicationevent DISABLE TRIGGER {TRIGGER}")
    for application in sent.iterator():
        track = track_model.objects.create(
            application_id=application.pk,
            banker_id=application.banker_id,
            status=TRACK_STATUS.get(application.status, application.status),
            decline_reason=application.decline_reason,
            decided_at=application.decided_at,
        )
        track_model.objects.filter(pk=track.pk).update(
            submitted_at=application.submitted_at or application.created_at,
            status_changed_at=application.status_changed_at,
        )
        event_model.objects.filter(application_id=application.pk).update(track_id=track.pk)
        if application.status == "approved":
            _offer(offer_model, track, application, now)
    # Deferred foreign-key checks of the rows written above must run before the
    # table can be altered again.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(f"ALTER TABLE loans_applicationevent ENABLE TRIGGER {TRIGGER}")


def _offer(offer_model: Any, track: Any, application: Any, now: Any) -> None:
    payment, apr = offer_figures(
        amount=application.approved_amount,
        annual_rate_percent=application.interest_rate,
        months=application.approved_term_months,
        fee=Decimal("0.00"),
    )
    offer_model.objects.create(
        track_id=track.pk,
        approved_amount=application.approved_amount,
        interest_rate=application.interest_rate,
        term_months=application.approved_term_months,
        conditions=application.conditions,
        monthly_payment=payment,
        apr=apr,
        expires_at=now + timedelta(days=14),
    )


class Migration(migrations.Migration):
    dependencies = [("loans", "0004_tracks_and_offers")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
