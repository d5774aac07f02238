"""Bench-only: create the users, conversations and sessions the benchmark uses,
and print them as JSON (run against the bench database)."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.chat.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from accounts.choices import Role, VerificationStatus  # noqa: E402
from accounts.models import BankerProfile, BusinessOwnerProfile, User  # noqa: E402
from chat.models import Conversation, Message  # noqa: E402


def user(email: str, role: str) -> User:
    found = User.objects.filter(email=email).first()
    if found:
        return found
    created = User(email=email, first_name="Bench", last_name=email.split("@")[0], role=role)
    created.set_unusable_password()
    created.save()
    if role == Role.BANKER:
        BankerProfile.objects.create(
            user=created,
            institution="Bench Bank",
            products=["term_loan"],
            min_loan_amount=1000,
            verification_status=VerificationStatus.VERIFIED,
        )
    else:
        BusinessOwnerProfile.objects.create(user=created, company_name="Bench Co", industry="other")
    return created


def session_for(person: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()
    return store.session_key or ""


def forget_messages() -> None:
    """Delete the earlier runs' messages a slice at a time: one `delete()` over
    them all fails once they pass 65,535, PostgreSQL's limit on a statement's
    parameters (about three full runs)."""
    while ids := list(Message.objects.values_list("pk", flat=True)[:10_000]):
        Message.objects.filter(pk__in=ids).delete()


def main(pairs: int, idle_users: int) -> None:
    forget_messages()
    out: dict = {"pairs": [], "idle": [], "cookie": settings.SESSION_COOKIE_NAME}
    for n in range(pairs):
        owner = user(f"bench-owner-{n}@bench.example", Role.BUSINESS_OWNER)
        banker = user(f"bench-banker-{n}@bench.example", Role.BANKER)
        convo, _ = Conversation.objects.get_or_create(owner=owner, banker=banker)
        out["pairs"].append(
            {
                "conversation": convo.pk,
                "a": {"id": owner.pk, "session": session_for(owner)},
                "b": {"id": banker.pk, "session": session_for(banker)},
            }
        )
    for n in range(idle_users):
        idle = user(f"bench-idle-{n}@bench.example", Role.BUSINESS_OWNER)
        out["idle"].append({"id": idle.pk, "session": session_for(idle)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
