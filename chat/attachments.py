"""Messages that carry a file: the file is checked and stored by documents
(the same rules and storage as application documents), then sent through
chat.services.message_send in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile

from documents.models import ChatAttachment
from documents.services import chat_attachment_check, chat_attachment_store

from .models import Message
from .selectors import conversation_get
from .services import message_send


def message_send_with_file(
    *, sender: Any, conversation_id: int, body: str, upload: UploadedFile | None, client_id: str = ""
) -> tuple[Message, bool]:
    """A message carrying one file (checked and stored as documents are: 400
    empty, 413 too large, 415 not an accepted type). The file and the message
    are stored together or not at all; a repeated client_id returns the stored
    message and keeps nothing of the new file."""
    conversation_get(user=sender, conversation_id=conversation_id)  # 404 before reading the file
    checked = chat_attachment_check(upload)

    def send(attachment: ChatAttachment) -> tuple[Message, bool]:
        message, created = message_send(
            sender=sender,
            conversation_id=conversation_id,
            body=body,
            client_id=client_id,
            attachment=attachment,
        )
        if not created:
            raise _Repeated(message)
        return message, created

    try:
        return chat_attachment_store(
            actor=sender, conversation_id=conversation_id, checked=checked, then=send
        )
    except _Repeated as repeated:
        return repeated.message, False


class _Repeated(Exception):
    """The client_id was already stored: roll the new file back, answer the stored message."""

    def __init__(self, message: Message) -> None:
        super().__init__("repeated client_id")
        self.message = message
