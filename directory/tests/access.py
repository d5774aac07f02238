"""Access matrix for the directory. Visitors and every signed-in role may browse
(visitors before signing up, owners to find a banker, bankers to see the public
directory, staff to support both); only listed bankers have a profile, every
other id is 404."""

from typing import Any

from accounts.choices import VerificationStatus
from accounts.tests.factories import BankerFactory
from tests.access import Case, same


def seed(world: Any) -> None:
    world.objects["pending_banker"] = BankerFactory(profile__verification_status=VerificationStatus.PENDING)
    world.objects["rejected_banker"] = BankerFactory(profile__verification_status=VerificationStatus.REJECTED)
    world.objects["inactive_banker"] = BankerFactory(is_active=False)


def _profile_cases(api: bool) -> list[Case]:
    cases = [
        Case("get", same(200), kwargs=lambda w: {"banker_id": w.banker_x.pk}, api=api),
        Case(
            "get",
            same(404),
            kwargs=lambda w: {"banker_id": w.owner_a.pk},
            api=api,
            note="an owner's id is not a banker",
        ),
    ]
    for name in ("pending_banker", "rejected_banker", "inactive_banker"):
        cases.append(
            Case(
                "get",
                same(404),
                kwargs=lambda w, name=name: {"banker_id": w.objects[name].pk},
                api=api,
                note=f"{name} is not listed",
            )
        )
    return cases


ROUTES = {
    "directory:search": [
        Case("get", same(200)),
        Case("get", same(400), data=lambda w: {"amount": "abc"}, note="bad input"),
    ],
    "directory:profile": _profile_cases(api=False),
    "api:banker-list": [
        Case("get", same(200), api=True),
        Case("get", same(400), data=lambda w: {"product": "unknown"}, api=True),
    ],
    "api:banker-detail": _profile_cases(api=True),
}
