"""Conversations between a business owner and a banker, their messages, the
last-read marker of each side, and the single-use tickets API clients trade for
a websocket."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone

from b2bbank.constraints import PlainConstraintErrors

BODY_MAX = 5000
CLIENT_ID_MAX = 64


class ConversationQuerySet(models.QuerySet["Conversation"]):
    def visible_to(self, user: object) -> ConversationQuerySet:
        user_id = getattr(user, "pk", None)
        if user_id is None:
            return self.none()
        return self.filter(models.Q(owner_id=user_id) | models.Q(banker_id=user_id))


class Conversation(PlainConstraintErrors, models.Model):
    """One per (business owner, banker) pair, started by the owner. Each side's
    last-read marker is the id of the newest message it has read (0 = none):
    message ids only grow, so "unread" is "from the other side, id above mine"."""

    constraint_errors: ClassVar = {
        "conversation_two_people": (None, "You can't start a conversation with yourself.")
    }

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    banker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_message = models.ForeignKey(
        "Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_last_read = models.BigIntegerField(default=0)
    banker_last_read = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "banker"], name="conversation_one_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(owner=models.F("banker")), name="conversation_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-last_activity_at"], name="conversation_owner_recent"),
            models.Index(fields=["banker", "-last_activity_at"], name="conversation_banker_recent"),
        ]

    def __str__(self) -> str:
        return f"conversation {self.pk} ({self.owner_id} / {self.banker_id})"

    def is_participant(self, user_id: int) -> bool:
        return user_id in (self.owner_id, self.banker_id)

    def other_id(self, user_id: int) -> int:
        return self.banker_id if user_id == self.owner_id else self.owner_id

    def last_read_of(self, user_id: int) -> int:
        return self.owner_last_read if user_id == self.owner_id else self.banker_last_read


class Message(PlainConstraintErrors, models.Model):
    """A message in a conversation. `client_id` is the sender's own id for it, so
    a retried send returns the stored message instead of a duplicate. A message
    with an attachment may have an empty body."""

    constraint_errors: ClassVar = {
        "message_body_length": (
            "body",
            f"Write a message (at most {BODY_MAX:,} characters) or attach a file.",
        ),
    }

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=BODY_MAX, validators=[MaxLengthValidator(BODY_MAX)])
    client_id = models.CharField(max_length=CLIENT_ID_MAX, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    # One file sent with the message (documents.ChatAttachment); the body may
    # then be empty.
    attachment = models.OneToOneField(
        "documents.ChatAttachment", on_delete=models.PROTECT, null=True, blank=True, related_name="message"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=~models.Q(client_id=""),
                name="message_client_id_unique",
            ),
            models.CheckConstraint(
                condition=(GreaterThanOrEqual(Length("body"), 1) & LessThanOrEqual(Length("body"), BODY_MAX))
                | models.Q(body="", attachment__isnull=False),
                name="message_body_length",
            ),
        ]
        indexes = [models.Index(fields=["conversation", "-id"], name="message_conversation_newest")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.conversation_id}"


class RealtimeTicket(models.Model):
    """A single-use, short-lived ticket that lets an API client open a websocket
    (browsers use their session). Only the SHA-256 of the key is stored, in the
    database, so any server process can redeem it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The API token the ticket was issued under, if any: revoking it closes the socket.
    token = models.ForeignKey(
        "authentication.ApiToken", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The browser session the ticket was issued under, if any: it dies with it.
    session_key = models.CharField(max_length=40, blank=True, default="")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="realtime_ticket_expiry")]

    def __str__(self) -> str:
        return f"ticket {self.pk} for {self.user_id}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
