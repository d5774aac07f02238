"""Documents of a loan application, the banker's requests for them, and files
attached to chat messages. The bytes live in the `documents` storage (Django's
storage API) under random keys; rows hold what was checked about them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from b2bbank.constraints import PlainConstraintErrors

NAME_MAX = 255
NOTE_MAX = 2000


class Kind(models.TextChoices):
    BANK_STATEMENTS = "bank_statements", "Bank statements"
    TAX_RETURN = "tax_return", "Tax return"
    FINANCIAL_STATEMENTS = "financial_statements", "Financial statements"
    AR_AGING = "ar_aging", "Accounts receivable aging"
    DEBT_SCHEDULE = "debt_schedule", "Debt schedule"
    BUSINESS_PLAN = "business_plan", "Business plan"
    BUSINESS_LICENSE = "business_license", "Business license"
    GOVERNMENT_ID = "government_id", "Government ID"
    OTHER = "other", "Other"


class DocumentStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    FULFILLED = "fulfilled", "Fulfilled"
    ACCEPTED = "accepted", "Accepted"
    CANCELLED = "cancelled", "Cancelled"


class StoredFile(models.Model):
    """What every stored file records: the sanitised display name, the size and
    type found in the bytes, their sha256, and the random storage key."""

    name = models.CharField(max_length=NAME_MAX)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    storage_key = models.CharField(max_length=100, unique=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class DocumentRequestQuerySet(models.QuerySet["DocumentRequest"]):
    def still_wanted(self) -> DocumentRequestQuerySet:
        return self.filter(status__in=(RequestStatus.OPEN, RequestStatus.FULFILLED))


class DocumentRequest(PlainConstraintErrors, models.Model):
    """A banker asking the owner of an application for a kind of document.
    `open` until a document answers it (`fulfilled`), `accepted` when the
    banker accepts that document; a rejection opens it again."""

    constraint_errors: ClassVar = {
        "docrequest_kind_valid": ("kind", "Choose a kind of document from the list."),
        "docrequest_status_valid": ("status", "Choose one of the listed options."),
    }

    application = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.PROTECT, related_name="document_requests"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentRequestQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="docrequest_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values), name="docrequest_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["application", "created_at"], name="docrequest_application")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.application_id} ({self.status})"


class Document(PlainConstraintErrors, StoredFile):
    """A file the owner gave for an application, optionally answering a request.
    Immutable bytes: a replacement is a new document. The banker reviews it."""

    constraint_errors: ClassVar = {
        "document_kind_valid": ("kind", "Choose a kind of document from the list."),
        "document_status_valid": ("status", "Choose one of the listed options."),
        "document_not_empty": ("file", "The file is empty."),
    }

    application = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    request = models.ForeignKey(
        DocumentRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    status = models.CharField(max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED)
    review_note = models.TextField(blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="document_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values), name="document_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="document_not_empty"),
        ]
        indexes = [models.Index(fields=["application", "-created_at"], name="document_application")]

    @property
    def is_reviewed(self) -> bool:
        return self.status != DocumentStatus.RECEIVED


class ChatAttachment(PlainConstraintErrors, StoredFile):
    """A file sent with a chat message (chat.Message.attachment), under the same
    checks and storage as documents; its conversation's participants may read it."""

    constraint_errors: ClassVar = {"attachment_not_empty": ("file", "The file is empty.")}

    conversation = models.ForeignKey("chat.Conversation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ("-created_at", "-id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty"),
        ]
