"""Every write in chat. Events go out after commit through b2bbank.realtime, so
a message sent over REST and one sent over the socket reach both sides the
same way, and nothing is sent for a write that rolls back.

- `send`: the send path (start there to follow a message);
- `conversations`: starting a conversation, read markers, typing;
- `sockets`: websocket tickets and closing sockets.
"""

from .conversations import conversation_mark_read, conversation_start, typing_recipient, typing_send
from .send import (
    READ_ONLY,
    MessageSendRequest,
    MessageSendResult,
    SendFailed,
    message_send,
    messages_send_batch,
)
from .sockets import (
    TICKET_TTL,
    sockets_close_for,
    sockets_close_for_token,
    ticket_issue,
    ticket_redeem,
    tickets_delete_expired,
    token_group,
)

__all__ = [
    "READ_ONLY",
    "TICKET_TTL",
    "MessageSendRequest",
    "MessageSendResult",
    "SendFailed",
    "conversation_mark_read",
    "conversation_start",
    "message_send",
    "messages_send_batch",
    "sockets_close_for",
    "sockets_close_for_token",
    "ticket_issue",
    "ticket_redeem",
    "tickets_delete_expired",
    "token_group",
    "typing_recipient",
    "typing_send",
]
