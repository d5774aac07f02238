"""Demo documents for `make run`, made through the services: on the demo owner's
application that waits for information, the demo banker asks for bank
statements and a tax return, and the owner has answered the first. Runs after
seed_loans_demo; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from accounts.management.commands.seed_demo import OWNER_EMAIL
from documents import services
from documents.demo_files import one_page_pdf
from documents.models import DocumentRequest
from loans.models import LoanApplication, Status


class Command(BaseCommand):
    help = "Create demo document requests and a document for the demo owner (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        application = (
            LoanApplication.objects.filter(owner__email=OWNER_EMAIL, status=Status.INFO_REQUESTED)
            .select_related("owner", "banker")
            .first()
        )
        if application is None or application.banker is None:
            raise CommandError("Run `manage.py seed_loans_demo` first.")
        if DocumentRequest.objects.filter(application=application).exists():
            self.stdout.write("Demo documents already exist.")
            return
        banker, owner = application.banker, application.owner
        statements = services.document_request_create(
            actor=banker,
            application_id=application.pk,
            kind="bank_statements",
            note="The last six months, every business account.",
        )
        services.document_request_create(
            actor=banker,
            application_id=application.pk,
            kind="tax_return",
            note="Business tax returns for the last two years, signed.",
        )
        services.document_upload(
            actor=owner,
            application_id=application.pk,
            kind="bank_statements",
            request_id=statements.pk,
            upload=SimpleUploadedFile(
                "Bank statements January-June.pdf", one_page_pdf("Bank statements January-June")
            ),
        )
        self.stdout.write(f"Demo documents on {application.reference}.")
