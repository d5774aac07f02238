"""Document pages: every form posts here and returns to the application page
(the documents section on it, templates/documents/_section.html)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.choices import Role
from accounts.permissions import role_required
from b2bbank.domain_errors import DomainError, NotFound
from b2bbank.page_errors import report_domain_error
from loans.models import LoanApplication

from . import selectors, services
from .files import incoming_file
from .forms import RequestForm, ReviewForm, UploadForm
from .models import Document, Kind


def _application(request: HttpRequest, pk: int) -> LoanApplication:
    try:
        return selectors.application_for_documents(user=request.user, application_id=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _document(request: HttpRequest, pk: int) -> Document:
    try:
        return selectors.document_for(user=request.user, document_id=pk)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def _back(application_id: int, request: HttpRequest | None = None) -> HttpResponse:
    """Back to the application page. The page script's upload (which shows
    progress) gets the address as JSON instead, so the message waits for the
    page it then loads rather than being used up by a followed redirect."""
    url = reverse("loans:detail", args=[application_id]) + "#documents"
    if request is not None and request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


def _refused(request: HttpRequest, exc: Exception) -> None:
    """A refusal becomes a message on the application page (404/403 stay errors)."""
    if isinstance(exc, DomainError):
        report_domain_error(request, exc)
    elif isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))


def _form_error(request: HttpRequest, form: UploadForm | RequestForm | ReviewForm) -> None:
    messages.error(
        request,
        " ".join(
            f"{form.fields[name].label or name}: {' '.join(str(e) for e in errs)}"
            for name, errs in form.errors.items()
        ),
    )


@role_required(Role.BUSINESS_OWNER)
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's upload form (plain multipart, or the page script with a progress bar)."""
    application = _application(request, pk)
    try:
        file = incoming_file(request)
        form = UploadForm(request.POST, requests=[(r.pk, "") for r in application.document_requests.all()])
        if not form.is_valid():
            _form_error(request, form)
            return _back(pk, request)
        document = services.document_upload(
            actor=request.user,
            application_id=pk,
            kind=form.cleaned_data["kind"],
            upload=file,
            request_id=form.cleaned_data["request"],
        )
    except (DomainError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{document.name} was uploaded. Your banker has been told.")
    return _back(pk, request)


@role_required(Role.BANKER)
@require_POST
def request_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The banker asks the applicant for a document."""
    _application(request, pk)
    form = RequestForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(pk)
    try:
        created = services.document_request_create(actor=request.user, application_id=pk, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, f"You asked for {Kind(created.kind).label.lower()}; the applicant has been told."
        )
    return _back(pk)


@role_required(Role.BANKER)
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The banker accepts or rejects one document."""
    document = _document(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_error(request, form)
        return _back(document.application_id)
    try:
        reviewed = services.document_review(actor=request.user, document_id=pk, **form.cleaned_data)
    except (DomainError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            f"{reviewed.name} is {reviewed.get_status_display().lower()}; the applicant has been told.",
        )
    return _back(document.application_id)


@role_required(Role.BUSINESS_OWNER)
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner deletes a document nobody has reviewed yet."""
    document = _document(request, pk)
    try:
        services.document_delete(actor=request.user, document_id=pk)
    except (DomainError, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{document.name} was deleted.")
    return _back(document.application_id)
