"""The one generic page view behind every registered action
(loans.actions.REGISTRY): GET shows the action's form, POST validates it, then
(for actions marked `confirm`) shows a confirmation step restating what will
be sent, and only a confirmed POST calls the action's service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.views import attach_errors
from b2bbank.display import format_money
from b2bbank.domain_errors import DomainError
from b2bbank.page_errors import report_domain_error

from . import selectors
from .actions import REGISTRY, ActionSpec, open_actions, spec_for
from .finance import offer_figures
from .forms import ActionForm
from .models import ApplicationTrack, LoanApplication, Offer, Status


@dataclass
class PageAction:
    """An open action as the detail page shows it."""

    spec: ActionSpec
    form: ActionForm
    url: str


def action_url(spec: ActionSpec, application: LoanApplication, offer: Offer | None = None) -> str:
    if offer is not None:
        return reverse("loans:offer-action", args=[application.pk, offer.pk, spec.path_segment])
    return reverse("loans:action", args=[application.pk, spec.path_segment])


def page_actions(user: Any, application: LoanApplication) -> list[PageAction]:
    """The application-wide and track actions open to this user now, each
    with an unbound form (offer actions are shown with each offer)."""
    tracks = selectors.tracks_for_viewer(user, application)
    found = []
    for action in open_actions(user, selectors.viewer_status(user, application), tracks):
        spec = REGISTRY[action]
        if spec.scope == "offer":
            continue
        form = spec.form_class()(prefix=spec.action.value, application=application, viewer=user)
        found.append(PageAction(spec, form, action_url(spec, application)))
    return found


def application_context(user: Any, application: LoanApplication) -> dict[str, Any]:
    """What the detail page and every action page show about the application:
    the viewer's status and tracks, the timeline they may see, and the open
    request for information (the banker's question) if one waits. Needs an
    application loaded with `with_events=True`."""
    tracks = selectors.tracks_for_viewer(user, application)
    events = list(application.viewer_events)  # type: ignore[attr-defined]
    asking = [e for e in events if e.to_status == Status.INFO_REQUESTED]
    waiting = any(t.effective_status == "info_requested" for t in tracks)
    return {
        "application": application,
        "status": selectors.viewer_status(user, application),
        "tracks": tracks,
        "events": events,
        "info_request": asking[-1] if asking and waiting else None,
        "is_banker": getattr(user, "role", None) == Role.BANKER,
    }


def _offer_for(user: Any, application: LoanApplication, offer_id: int | None) -> Offer | None:
    if offer_id is None:
        return None
    for track in selectors.tracks_for_viewer(user, application):
        for offer in track.offers.all():
            if offer.pk == offer_id:
                return offer
    raise Http404("No such offer.")


def _restated(form: ActionForm, spec: ActionSpec, application: LoanApplication) -> list[tuple[str, str]]:
    """What the confirmation step repeats back: every field, and for an offer
    the monthly payment and APR the owner will see."""
    lines = [
        (str(field.label), _shown(name, form.cleaned_data.get(name)))
        for name, field in form.fields.items()
        if form.cleaned_data.get(name) not in (None, "")
    ]
    data = form.cleaned_data
    if spec.action == "approve":
        payment, apr = offer_figures(
            amount=data["approved_amount"],
            annual_rate_percent=data["interest_rate"],
            months=data["term_months"],
            fee=data["origination_fee"] or Decimal(0),
        )
        lines += [("Monthly payment", format_money(payment)), ("APR (fee included)", f"{apr:.2f}%")]
    return lines


def _shown(name: str, value: Any) -> str:
    if isinstance(value, Decimal) and "rate" in name:
        return f"{value:.3f}".rstrip("0").rstrip(".") + "%"
    if isinstance(value, Decimal):
        return format_money(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _run(
    request: HttpRequest, spec: ActionSpec, form: ActionForm, pk: int, offer: Offer | None
) -> HttpResponse | None:
    arguments = form.service_data()
    if offer is not None:
        arguments["offer_id"] = offer.pk
    try:
        spec.run()(actor=request.user, application_id=pk, **arguments)
    except ValidationError as exc:
        attach_errors(exc, form)
        return None
    except DomainError as exc:
        report_domain_error(request, exc)
        return redirect("loans:detail", pk=pk)
    messages.success(request, spec.done)
    return redirect("loans:detail", pk=pk)


def application_action(request: HttpRequest, pk: int, action: str, offer: int | None = None) -> HttpResponse:
    """GET: the action's form on its own page (for an offer, restating its
    terms). POST: validate, confirm when the action asks for it, run."""
    spec = spec_for(scope_offer=offer is not None, segment=action)
    if spec is None:
        raise Http404("No such action.")
    try:
        application = selectors.application_for(user=request.user, application_id=pk, with_events=True)
    except DomainError as exc:
        raise Http404(exc.detail) from exc
    if spec.role != getattr(request.user, "role", None):
        raise PermissionDenied("Your account type cannot do this.")
    the_offer = _offer_for(request.user, application, offer)
    bound = request.POST if request.method == "POST" else None
    form = spec.form_class()(bound, prefix=spec.action.value, application=application, viewer=request.user)
    # Every render of the action (its form, a refusal, the confirmation) shows
    # the application and the banker's question beside the typed input.
    context: dict[str, Any] = application_context(request.user, application)
    context.update(form=form, spec=spec, offer=the_offer, url=action_url(spec, application, the_offer))
    if request.method == "GET":
        if spec.action not in open_actions(request.user, context["status"], context["tracks"]):
            messages.error(request, f"{spec.label} is not possible for this application now.")
            return redirect("loans:detail", pk=pk)
        return render(request, "loans/action.html", context)
    if form.is_valid():
        if spec.confirm and request.POST.get("confirmed") != "1":
            context["restated"] = _restated(form, spec, application)
            return render(request, "loans/confirm.html", context)
        done = _run(request, spec, form, pk, the_offer)
        if done is not None:
            return done
    return render(request, "loans/action.html", context, status=400)


@dataclass
class OfferRow:
    """One offer as the comparison shows it, with the actions open on it."""

    track: ApplicationTrack
    offer: Offer
    actions: list[tuple[ActionSpec, str]]

    @classmethod
    def build(cls, user: Any, application: LoanApplication, track: ApplicationTrack) -> OfferRow:
        offer = track.current_offer
        assert offer is not None  # noqa: S101 - callers pass tracks with an offer
        specs = [
            spec
            for spec in REGISTRY.values()
            if spec.scope == "offer" and spec.role == getattr(user, "role", None) and offer.is_open
        ]
        return cls(track, offer, [(spec, action_url(spec, application, offer)) for spec in specs])

    @property
    def time_left(self) -> timedelta:
        return max(self.offer.expires_at - timezone.now(), timedelta(0))
