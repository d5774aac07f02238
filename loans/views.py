"""Application pages for owners (list, new, edit, detail with the offers side
by side) and bankers (pipeline, detail); every action's page is the one
generic view in loans.page_actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.choices import Role
from accounts.permissions import role_required
from accounts.views import attach_errors
from b2bbank.domain_errors import DomainError, Forbidden, NotEligible
from b2bbank.page_errors import report_domain_error
from b2bbank.query_params import object_id
from notifications.services import notifications_mark_read_for_link

from . import page_actions, selectors, services
from .forms import ApplicationForm
from .models import LoanApplication, TrackStatus
from .permissions import actor_of, can_edit_application


def _load(request: HttpRequest, pk: int, *, with_events: bool = False) -> LoanApplication:
    try:
        return selectors.application_for(user=request.user, application_id=pk, with_events=with_events)
    except DomainError as exc:
        raise Http404(exc.detail) from exc


@role_required(Role.BUSINESS_OWNER)
def application_list(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.applications_visible_to(user=request.user))
    to_compare = [
        a for a in applications if selectors.open_offers(selectors.tracks_for_viewer(request.user, a))
    ]
    return render(request, "loans/list.html", {"applications": applications, "to_compare": to_compare})


@role_required(Role.BUSINESS_OWNER)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    banker_id = object_id(request.GET.get("banker"))
    chosen = selectors.banker_to_apply_to(banker_id=banker_id) if banker_id is not None else None
    initial = {"banker": chosen.pk} if chosen else {}
    form = ApplicationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(owner=actor_of(request), **form.service_fields())
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            if request.POST.get("intent") != "submit":
                messages.success(
                    request, f"Draft {application.reference} saved. Submit it when you are ready."
                )
                return redirect("loans:detail", pk=application.pk)
            if application.banker_id is None:
                messages.info(
                    request, f"Draft {application.reference} saved: tick up to five matching bankers."
                )
                return redirect("loans:detail", pk=application.pk)
            try:
                services.application_submit(actor=actor_of(request), application_id=application.pk)
            except (NotEligible, Forbidden) as exc:  # Forbidden: email_unverified
                messages.error(request, f"Saved as a draft but not sent: {exc.detail}")
            else:
                messages.success(request, f"{application.reference} has been sent to the banker.")
            return redirect("loans:detail", pk=application.pk)
    context = {"form": form, "chosen": chosen}
    return render(request, "loans/new.html", context, status=400 if form.errors else 200)


@role_required(Role.BUSINESS_OWNER)
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _load(request, pk)
    if not can_edit_application(request.user, application):
        messages.error(request, "Only a draft can be edited.")
        return redirect("loans:detail", pk=pk)
    initial = {
        "banker": application.banker_id,
        "product": application.product,
        "amount": application.amount,
        "term_months": application.term_months,
        "purpose": application.purpose,
    }
    form = ApplicationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(
                actor=actor_of(request), application_id=pk, fields=form.service_fields()
            )
        except ValidationError as exc:
            attach_errors(exc, form)
        except DomainError as exc:
            report_domain_error(request, exc)
            return redirect("loans:detail", pk=pk)
        else:
            messages.success(request, "Your draft has been saved.")
            return redirect("loans:detail", pk=pk)
    context = {"form": form, "application": application}
    return render(request, "loans/edit.html", context, status=400 if form.errors else 200)


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The application as this viewer may see it: the request, the tracks (a
    banker only their own), the offers side by side, the timeline of the
    tracks they may see, and the actions open to them."""
    application = _load(request, pk, with_events=True)
    notifications_mark_read_for_link(user=request.user, link=request.path)
    user = request.user
    context = page_actions.application_context(user, application)
    offers = [
        page_actions.OfferRow.build(user, application, t)
        for t in context["tracks"]
        if t.current_offer is not None
    ]
    context.update(
        actions=page_actions.page_actions(user, application),
        offers=offers,
        open_offers=[row for row in offers if row.offer.is_open],
    )
    return render(request, "loans/detail.html", context)


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
@require_http_methods(["GET", "POST"])
def application_action(request: HttpRequest, pk: int, action: str, offer: int | None = None) -> HttpResponse:
    """Every registered action's page (loans.page_actions)."""
    return page_actions.application_action(request, pk, action, offer)


@role_required(Role.BANKER)
def pipeline(request: HttpRequest) -> HttpResponse:
    groups = selectors.banker_pipeline(banker=request.user)
    return render(request, "loans/pipeline.html", {"groups": groups})


STAGE_PAGE_SIZE = 25


@role_required(Role.BANKER)
def pipeline_stage(request: HttpRequest, status: str) -> HttpResponse:
    """Every application in one stage of the banker's pipeline, a page at a time."""
    if status not in selectors.PIPELINE_ORDER:
        raise Http404("No such stage.")
    stage = TrackStatus(status)
    paginator = Paginator(selectors.banker_stage(banker=request.user, status=stage), STAGE_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("That page does not exist.") from exc
    return render(
        request,
        "loans/pipeline_stage.html",
        {"stage": stage, "is_final": stage in selectors.CLOSED_TRACK_STATUSES, "page": page},
    )
