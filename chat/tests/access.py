"""Access matrix entries for chat routes (pages and API)."""

from typing import Any

from chat.models import Conversation, Message
from tests.access import ANON_API, ANON_PAGE, Case, same


def seed(world: Any) -> None:
    """Owner A talks to banker X; nobody else may see that conversation."""
    if "conversation" in world.objects:
        return
    convo = Conversation.objects.create(owner=world.owner_a, banker=world.banker_x)
    message = Message.objects.create(conversation=convo, sender=world.owner_a, body="Hello")
    world.objects["conversation"] = convo
    world.objects["message"] = message


PARTICIPANTS_PAGE = same(404, anonymous=ANON_PAGE, owner_a=200, banker_x=200, staff=403)
PARTICIPANTS_API = same(404, anonymous=ANON_API, owner_a=200, banker_x=200, staff=403)
CHATTERS_API = same(200, anonymous=ANON_API, staff=403)


def convo_kwargs(w: Any) -> dict[str, int]:
    return {"conversation_id": w.conversation.pk}


ROUTES = {
    "chat:inbox": [Case("get", same(200, anonymous=ANON_PAGE, staff=403))],
    "chat:conversation": [
        Case("get", PARTICIPANTS_PAGE, kwargs=convo_kwargs),
        Case(
            "post",
            same(404, anonymous=ANON_PAGE, owner_a=302, banker_x=302, staff=403),
            kwargs=convo_kwargs,
            data=lambda w: {"body": "Hi"},
            note="a form post sends and redirects back",
        ),
    ],
    "chat:start": [
        Case(
            "post",
            same(403, anonymous=ANON_PAGE, owner_a=302, owner_b=302),
            data=lambda w: {"banker": w.banker_y.pk},
        ),
        Case(
            "post",
            same(403, anonymous=ANON_PAGE, owner_a=404, owner_b=404),
            data=lambda w: {"banker": w.owner_b.pk},
            note="an owner's id is not a banker",
        ),
        Case("get", same(403, anonymous=ANON_PAGE, owner_a=405, owner_b=405)),
    ],
    "api:conversations": [
        Case("get", CHATTERS_API, api=True),
        Case(
            "post",
            same(403, anonymous=ANON_API, owner_a=200, owner_b=201),
            data=lambda w: {"banker": w.banker_x.pk},
            api=True,
            note="owner A already talks to banker X",
        ),
    ],
    "api:conversations-unread": [Case("get", CHATTERS_API, api=True)],
    "api:conversation-messages": [
        Case("get", PARTICIPANTS_API, kwargs=convo_kwargs, api=True),
        Case(
            "post",
            same(404, anonymous=ANON_API, owner_a=201, banker_x=201, staff=403),
            kwargs=convo_kwargs,
            data=lambda w: {"body": "Hi"},
            api=True,
        ),
    ],
    "api:conversation-read": [
        Case(
            "post",
            PARTICIPANTS_API,
            kwargs=convo_kwargs,
            data=lambda w: {"message": w.message.pk},
            api=True,
        )
    ],
    "api:realtime-ticket": [Case("post", same(201, anonymous=ANON_API), api=True)],
}
