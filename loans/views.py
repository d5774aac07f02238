"""Application pages for owners (list, new, edit, detail) and bankers
(pipeline, detail), and one POST endpoint per action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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

from . import selectors, services
from .forms import ApplicationForm, ApproveForm, DeclineForm, NoteForm, RequiredNoteForm, SubmitForm
from .models import FINAL_STATUSES, LoanApplication, Status
from .permissions import can_edit_application
from .transitions import MACHINE, Action, open_actions

Service = Callable[[Any, int, dict[str, Any]], LoanApplication]


@dataclass(frozen=True)
class PageAction:
    form: type[django_forms.Form]
    run: Service
    done: str  # the success message


def _banker_id(data: dict[str, Any]) -> int | None:
    return data["banker"].pk if data.get("banker") else None


PAGE_ACTIONS: dict[Action, PageAction] = {
    Action.SUBMIT: PageAction(
        SubmitForm,
        lambda u, pk, d: services.application_submit(
            actor=u, application_id=pk, banker_id=_banker_id(d), note=d["note"]
        ),
        "Your application has been sent to the banker.",
    ),
    Action.START_REVIEW: PageAction(
        NoteForm,
        lambda u, pk, d: services.application_start_review(actor=u, application_id=pk, note=d["note"]),
        "You are now reviewing this application.",
    ),
    Action.REQUEST_INFO: PageAction(
        RequiredNoteForm,
        lambda u, pk, d: services.application_request_info(actor=u, application_id=pk, note=d["note"]),
        "Your request has been sent to the applicant.",
    ),
    Action.RESPOND: PageAction(
        RequiredNoteForm,
        lambda u, pk, d: services.application_respond(actor=u, application_id=pk, note=d["note"]),
        "Your answer has been sent to the banker.",
    ),
    Action.APPROVE: PageAction(
        ApproveForm,
        lambda u, pk, d: services.application_approve(actor=u, application_id=pk, **d),
        "The application is approved and the applicant has been told.",
    ),
    Action.DECLINE: PageAction(
        DeclineForm,
        lambda u, pk, d: services.application_decline(actor=u, application_id=pk, reason=d["reason"]),
        "The application is declined and the applicant has been told.",
    ),
    Action.WITHDRAW: PageAction(
        NoteForm,
        lambda u, pk, d: services.application_withdraw(actor=u, application_id=pk, note=d["note"]),
        "Your application has been withdrawn.",
    ),
}


def _action_forms(user: Any, application: LoanApplication) -> dict[str, django_forms.Form]:
    """An unbound form for each action open to this user now (template keys use underscores)."""
    found: dict[str, django_forms.Form] = {}
    for action in open_actions(user, application):
        form_class = PAGE_ACTIONS[action].form
        initial = {"banker": application.banker_id} if action == Action.SUBMIT else None
        found[action.replace("-", "_")] = form_class(initial=initial, prefix=action)
    return found


def _load(request: HttpRequest, pk: int, *, with_events: bool = False) -> LoanApplication:
    try:
        return selectors.application_for(user=request.user, application_id=pk, with_events=with_events)
    except DomainError as exc:
        raise Http404(exc.detail) from exc


@role_required(Role.BUSINESS_OWNER)
def application_list(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_visible_to(user=request.user)
    return render(request, "loans/list.html", {"applications": applications})


@role_required(Role.BUSINESS_OWNER)
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    banker_id = object_id(request.GET.get("banker"))
    chosen = selectors.banker_to_apply_to(banker_id=banker_id) if banker_id is not None else None
    initial = {"banker": chosen.pk} if chosen else {}
    form = ApplicationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(owner=request.user, **form.service_fields())
        except ValidationError as exc:
            attach_errors(exc, form)
        else:
            if request.POST.get("intent") != "submit":
                messages.success(
                    request, f"Draft {application.reference} saved. Submit it when you are ready."
                )
                return redirect("loans:detail", pk=application.pk)
            try:
                services.application_submit(actor=request.user, application_id=application.pk)
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
            services.application_update(actor=request.user, application_id=pk, fields=form.service_fields())
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
    application = _load(request, pk, with_events=True)
    notifications_mark_read_for_link(user=request.user, link=request.path)
    events = list(application.events.all())
    waiting_on_owner = application.status == Status.INFO_REQUESTED and events
    context = {
        "application": application,
        "events": events,
        "info_request": events[-1] if waiting_on_owner else None,
        "forms": _action_forms(request.user, application),
        "is_banker": request.user.role == Role.BANKER,  # type: ignore[union-attr]
    }
    return render(request, "loans/detail.html", context)


@role_required(Role.BUSINESS_OWNER, Role.BANKER)
@require_http_methods(["GET", "POST"])
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET shows the action's form on its own page (the withdraw confirmation);
    POST runs the action's service and returns to the application."""
    if action not in Action.values:
        raise Http404("No such action.")
    step = Action(action)
    application = _load(request, pk)
    if MACHINE[step].role != request.user.role:  # type: ignore[union-attr]
        raise PermissionDenied("Your account type cannot do this.")
    page = PAGE_ACTIONS[step]
    form = page.form(
        request.POST if request.method == "POST" else None,
        prefix=step,
        initial={"banker": application.banker_id},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                page.run(request.user, pk, form.cleaned_data)
            except ValidationError as exc:
                attach_errors(exc, form)
            except DomainError as exc:
                report_domain_error(request, exc)
                return redirect("loans:detail", pk=pk)
            else:
                messages.success(request, page.done)
                return redirect("loans:detail", pk=pk)
        status = 400
    elif step not in open_actions(request.user, application):
        messages.error(request, f"{step.label} is not possible for this application now.")
        return redirect("loans:detail", pk=pk)
    context = {"application": application, "form": form, "action": step}
    return render(request, "loans/action.html", context, status=status)


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
    stage = Status(status)
    paginator = Paginator(selectors.banker_stage(banker=request.user, status=stage), STAGE_PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("That page does not exist.") from exc
    return render(
        request,
        "loans/pipeline_stage.html",
        {"stage": stage, "is_final": stage in FINAL_STATUSES, "page": page},
    )
