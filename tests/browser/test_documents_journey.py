"""Documents end to end: the banker asks for a tax return, the owner uploads it
through the page (the script's progress bar, or the plain form), the banker
accepts it, and the owner's checklist turns green; at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.tests.factories import BankerFactory, OwnerFactory
from documents.models import Document, DocumentRequest
from documents.tests.samples import PDF
from loans.models import Status
from loans.tests.factories import ApplicationFactory
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.steps import log_in

pytestmark = pytest.mark.browser


def test_banker_asks_owner_uploads_banker_accepts(new_page: Any, tmp_path: Path) -> None:
    owner_user = OwnerFactory(
        email="dana.owner@example.com", first_name="Dana", last_name="Kim", profile__company_name="Kim Bakery"
    )
    banker_user = BankerFactory(
        email="lee.banker@example.com", first_name="Lee", last_name="Park", profile__institution="Harbor Bank"
    )
    application = ApplicationFactory(owner=owner_user, banker=banker_user, status=Status.IN_REVIEW)
    errors: list[str] = []

    banker = new_page()
    banker.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(banker, banker_user.email, lands_on="/banker/")
    banker.goto(f"/applications/{application.pk}/")
    documents = banker.get_by_role("region", name="Documents")
    assert documents.get_by_text("Ask for a document").is_visible()  # open while nothing is asked yet
    documents.get_by_label("Kind of document").select_option("tax_return")
    documents.get_by_label("What exactly you need").fill("Business tax returns for 2023 and 2024, signed.")
    documents.get_by_role("button", name="Request document").click()
    assert banker.get_by_text("You asked for tax return").is_visible()
    assert DocumentRequest.objects.get().status == "open"

    owner = new_page()
    owner.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(owner, owner_user.email, lands_on="/owner/")
    owner.goto(f"/applications/{application.pk}/")
    checklist = owner.get_by_role("list", name="Requested documents")
    assert "To do" in checklist.inner_text()
    request = DocumentRequest.objects.get()
    tax_return = tmp_path / "Kim Bakery tax return 2024.pdf"
    tax_return.write_bytes(PDF + b"%" + b"0" * 2_000_000 + b"\n")
    form = owner.locator("form[data-upload]")
    form.get_by_label("Kind of document").select_option("tax_return")
    form.get_by_label("Answers the request").select_option(str(request.pk))
    form.get_by_label("File").set_input_files(str(tax_return))
    assert form.get_by_text("or drop a file here").is_visible()  # the script took over the form
    screenshot(owner, "documents-owner-before-upload")
    form.get_by_role("button", name="Upload").click()
    owner.get_by_text("Kim Bakery tax return 2024.pdf was uploaded").wait_for()
    assert "In review" in owner.get_by_role("list", name="Requested documents").inner_text()
    document = Document.objects.get()
    assert document.content_type == "application/pdf"

    banker.reload()
    row = banker.locator(f"tr[data-document='{document.pk}']")
    assert "Kim Bakery tax return 2024.pdf" in row.inner_text()
    screenshot(banker, "documents-banker-review")
    row.get_by_role("button", name="Accept").click()
    assert banker.get_by_text("is accepted; the applicant has been told").is_visible()

    # The owner's open page hears document.reviewed and refreshes the section in place.
    owner.locator(".checklist-accepted").wait_for(timeout=15_000)
    item = owner.locator(f"[data-request='{request.pk}']")
    assert "Accepted" in item.inner_text()
    colour = item.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(231, 246, 239)"  # --ok-bg: the item is green
    owner.wait_for_timeout(1500)  # let the live-update highlight fade
    screenshot(owner, "documents-owner-accepted-1280")

    owner.set_viewport_size({"width": 390, "height": 844})
    owner.reload()
    overflow = owner.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    screenshot(owner, "documents-owner-accepted-390")

    download = owner.expect_download()
    with download as info:
        owner.get_by_role("link", name="Kim Bakery tax return 2024.pdf", exact=True).click()
    assert info.value.suggested_filename == "Kim Bakery tax return 2024.pdf"
    assert errors == []
    assert (ARTIFACTS / "documents-owner-accepted-390.png").exists()


def test_a_file_sent_in_chat_arrives_live(new_page: Any, tmp_path: Path) -> None:
    from chat.tests.factories import ConversationFactory

    owner_user = OwnerFactory(email="file.owner@example.com", first_name="Dana", last_name="Kim")
    banker_user = BankerFactory(email="file.banker@example.com", first_name="Lee", last_name="Park")
    conversation = ConversationFactory(owner=owner_user, banker=banker_user)
    errors: list[str] = []
    banker = new_page()
    banker.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(banker, banker_user.email, lands_on="/banker/")
    banker.goto(f"/messages/{conversation.pk}/")
    banker.locator("[data-chat-status]", has_text="Live").wait_for()

    owner = new_page()
    owner.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(owner, owner_user.email, lands_on="/owner/")
    owner.goto(f"/messages/{conversation.pk}/")
    plan = tmp_path / "Cash flow plan.pdf"
    plan.write_bytes(PDF)
    owner.get_by_label("Message").fill("Here is the cash flow plan.")
    owner.get_by_label("Attach a file").set_input_files(str(plan))
    owner.get_by_role("button", name="Send", exact=True).click()

    link = banker.locator(".chat-attachment", has_text="Cash flow plan.pdf")
    link.wait_for()
    assert link.get_attribute("href", timeout=1000).endswith("/download/")  # type: ignore[union-attr]
    assert "Here is the cash flow plan." in banker.locator(".chat-messages").inner_text()
    screenshot(banker, "documents-chat-attachment")
    with banker.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "Cash flow plan.pdf"
    assert errors == []


def test_view_opens_a_pdf_in_the_browsers_viewer_under_the_sandbox(new_page: Any) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    from documents.demo_files import one_page_pdf
    from documents.tests.factories import DocumentFactory

    owner_user = OwnerFactory(email="viewer.owner@example.com")
    application = ApplicationFactory(owner=owner_user, status=Status.IN_REVIEW)
    content = one_page_pdf()
    key = storages["documents"].save("vw/viewer-test", ContentFile(content))
    document = DocumentFactory(application=application, storage_key=key, size=len(content), name="return.pdf")
    page = new_page()
    log_in(page, owner_user.email, lands_on="/owner/")
    page.goto(f"/applications/{application.pk}/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="View return.pdf in a new tab").click()
    viewer = opened.value
    viewer.wait_for_load_state()
    viewer.wait_for_timeout(1500)
    assert viewer.url.endswith(f"/documents/{document.pk}/download/?disposition=inline")
    # Shown as a PDF (Chromium's viewer; the screenshot shows the page), not downloaded or blocked.
    assert viewer.evaluate("document.contentType") == "application/pdf"
    screenshot(viewer, "documents-inline-pdf")


def test_a_file_dropped_on_the_form_is_uploaded(new_page: Any) -> None:
    owner_user = OwnerFactory(email="drop.owner@example.com")
    application = ApplicationFactory(owner=owner_user, status=Status.IN_REVIEW)
    page = new_page()
    log_in(page, owner_user.email, lands_on="/owner/")
    page.goto(f"/applications/{application.pk}/")
    form = page.locator("form[data-upload]")
    form.get_by_label("Kind of document").select_option("ar_aging")
    drop = page.evaluate_handle(
        """() => {
            const data = new DataTransfer();
            data.items.add(new File(["customer,due,amount\\nAcme,2024-05-01,1200\\n"], "aging.csv", {type: "text/csv"}));
            return data;
        }"""
    )
    zone = form.locator("[data-dropzone]")
    zone.dispatch_event("dragenter", {"dataTransfer": drop})
    assert "dropzone-over" in (zone.get_attribute("class") or "")
    zone.dispatch_event("drop", {"dataTransfer": drop})
    assert form.get_by_label("File").evaluate("input => input.files[0].name") == "aging.csv"
    form.get_by_role("button", name="Upload").click()
    page.get_by_text("aging.csv was uploaded").wait_for()
    assert Document.objects.get().content_type == "text/csv"
