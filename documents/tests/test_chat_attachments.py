"""A chat message may carry one file: stored like documents, shown with the
message over REST and in its `message.new` frame, readable by the two people."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chat.models import Message
from chat.tests.factories import ConversationFactory
from documents.models import ChatAttachment
from documents.tests import samples
from documents.tests.conftest import stored

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(owner_a: Any, banker_x: Any) -> Any:
    return ConversationFactory(owner=owner_a, banker=banker_x)


def messages_url(conversation: Any) -> str:
    return reverse("api:conversation-messages", kwargs={"conversation_id": conversation.pk})


def send(client: Any, conversation: Any, **data: Any) -> Any:
    return client.post(messages_url(conversation), data, format="multipart")


def test_a_message_carries_a_file_and_its_frame_shows_it(
    api_as: Any,
    owner_a: Any,
    banker_x: Any,
    conversation: Any,
    published: list[Any],
    django_capture_on_commit_callbacks: Any,
    document_root: Path,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = send(
            api_as(owner_a),
            conversation,
            body="Our plan",
            file=samples.upload(name="plan.pdf"),
            client_id="c1",
        )
    assert response.status_code == 201, response.content
    attachment = response.json()["attachment"]
    assert set(attachment) == {"id", "name", "size", "content_type"}
    assert (attachment["name"], attachment["content_type"]) == ("plan.pdf", "application/pdf")
    [(ids, frame)] = published
    assert ids == sorted([owner_a.pk, banker_x.pk])
    assert frame["message"]["attachment"] == attachment
    assert len(stored(document_root)) == 1
    download = api_as(banker_x).get(reverse("api:attachment-download", args=[attachment["id"]]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    listed = api_as(banker_x).get(messages_url(conversation)).json()["results"]
    assert listed[0]["attachment"] == attachment


def test_a_file_alone_is_a_message(api_as: Any, owner_a: Any, conversation: Any) -> None:
    response = send(api_as(owner_a), conversation, file=samples.upload(samples.CSV, "aging.csv", "text/csv"))
    assert response.status_code == 201
    assert response.json()["body"] == ""
    assert Message.objects.get().attachment.content_type == "text/csv"


def test_the_inbox_previews_a_file_sent_alone(
    api_as: Any, owner_a: Any, banker_x: Any, conversation: Any, django_assert_num_queries: Any
) -> None:
    send(api_as(owner_a), conversation, file=samples.upload(samples.CSV, "R&D aging.csv", "text/csv"))

    def preview(user: Any) -> str:
        client = Client()
        client.force_login(user)
        with django_assert_num_queries(4):  # session, user, nav notifications count, conversations
            html = client.get(reverse("chat:inbox")).content.decode()
        start = html.index("data-last-message>") + len("data-last-message>")
        return html[start : html.index("</span>", start)]

    assert preview(banker_x) == "Sent a file: R&amp;D aging.csv"
    assert preview(owner_a) == "You sent a file: R&amp;D aging.csv"


def test_plain_messages_have_no_attachment(api_as: Any, owner_a: Any, conversation: Any) -> None:
    response = api_as(owner_a).post(messages_url(conversation), {"body": "Hi"}, format="json")
    assert response.json()["attachment"] is None


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"file": samples.upload(samples.HTML_AS_PDF)}, 415),
        ({"file": samples.upload(samples.SVG, "x.svg")}, 415),
        ({"file": samples.upload(b"")}, 400),
        ({"body": "no file"}, 400),
    ],
    ids=["html", "svg", "empty", "no-file"],
)
def test_refused_files_leave_nothing(
    data: dict[str, Any], status: int, api_as: Any, owner_a: Any, conversation: Any, document_root: Path
) -> None:
    assert send(api_as(owner_a), conversation, **data).status_code == status
    assert Message.objects.count() == 0
    assert ChatAttachment.objects.count() == 0
    assert stored(document_root) == []


def test_too_large_is_413(
    api_as: Any, owner_a: Any, conversation: Any, settings: Any, document_root: Path
) -> None:
    settings.B2BBANK_DOCUMENT_MAX_BYTES = 1000
    assert (
        send(api_as(owner_a), conversation, file=samples.upload(samples.PDF + b"0" * 4000)).status_code == 413
    )
    assert stored(document_root) == []


def test_a_repeated_client_id_keeps_nothing_of_the_second_file(
    api_as: Any, owner_a: Any, conversation: Any, document_root: Path
) -> None:
    client = api_as(owner_a)
    first = send(client, conversation, file=samples.upload(), client_id="same")
    again = send(client, conversation, file=samples.upload(samples.png(), "other.png"), client_id="same")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ChatAttachment.objects.count() == 1
    assert len(stored(document_root)) == 1


def test_outsiders_cannot_send_or_read(
    api_as: Any, owner_a: Any, owner_b: Any, banker_y: Any, conversation: Any, document_root: Path
) -> None:
    assert send(api_as(owner_b), conversation, file=samples.upload()).status_code == 404
    attachment = send(api_as(owner_a), conversation, file=samples.upload()).json()["attachment"]
    for outsider in (owner_b, banker_y):
        assert (
            api_as(outsider).get(reverse("api:attachment-download", args=[attachment["id"]])).status_code
            == 404
        )
    assert len(stored(document_root)) == 1


def test_the_page_form_sends_a_file_without_javascript(owner_a: Any, conversation: Any) -> None:
    client = Client()
    client.force_login(owner_a)
    url = reverse("chat:conversation", kwargs={"conversation_id": conversation.pk})
    response = client.post(url, {"body": "", "file": samples.upload(name="quote.pdf")}, follow=True)
    html = response.content.decode()
    assert "quote.pdf" in html
    assert reverse("api:attachment-download", args=[ChatAttachment.objects.get().pk]) in html
    refused = client.post(url, {"body": "", "file": samples.upload(samples.PE, "quote.pdf")})
    assert "This file type is not accepted" in refused.content.decode()


def test_message_list_queries_do_not_grow_with_attachments(
    api_as: Any, owner_a: Any, conversation: Any, django_assert_num_queries: Any
) -> None:
    client = api_as(owner_a)
    send(client, conversation, file=samples.upload())
    with django_assert_num_queries(2):
        client.get(messages_url(conversation))
    for _ in range(3):
        send(client, conversation, file=samples.upload())
    with django_assert_num_queries(2):
        assert len(client.get(messages_url(conversation)).json()["results"]) == 4
