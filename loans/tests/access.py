"""Access matrix entries for loans pages and API. Seed: owner A's application
sent to banker X (in review), and owner A's draft; owner B and banker Y get 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.choices import Product, Role
from loans.actions import REGISTRY
from loans.models import LoanApplication, Offer, Status
from loans.tests.factories import ApplicationFactory
from tests.access import ANON_API, ANON_PAGE, Case, same


def seed(world: Any) -> None:
    if "application" in world.objects:
        return
    common = {
        "owner": world.owner_a,
        "product": Product.TERM_LOAN,
        "amount": Decimal("250000"),
        "term_months": 36,
    }
    world.objects["application"] = ApplicationFactory(
        **common, banker=world.banker_x, status=Status.IN_REVIEW, purpose="Seeded"
    )
    world.objects["draft"] = LoanApplication.objects.create(**common, banker=world.banker_x, purpose="Draft")
    offered = ApplicationFactory(**common, banker=world.banker_x, status=Status.APPROVED, purpose="Offered")
    world.objects["offered"] = offered
    world.objects["offer"] = Offer.objects.get(track__application=offered)


def offer(world: Any) -> dict[str, int]:
    return {"pk": world.offered.pk, "offer": world.offer.pk}


def _by_role(role: str, *, body_error: int = 400) -> dict[str, Any]:
    """A registered action posted with an unknown field: whoever may act and
    sees it gets the input refused (400), whoever has the role but does not
    see it 404, the other role 403 (checked before anything is read)."""
    if role == Role.BUSINESS_OWNER:
        return api(owner_a=body_error, owner_b=404, banker_x=403, banker_y=403)
    return api(owner_a=403, owner_b=403, banker_x=body_error, banker_y=404)


def registry_cases() -> dict[str, list[Case]]:
    """One case per registered action (loans.actions.REGISTRY), so an action
    added there is in the matrix without an entry here."""
    cases: dict[str, list[Case]] = {}
    for spec in REGISTRY.values():
        kwargs = offer if spec.scope == "offer" else app
        cases[f"api:application-{spec.action.value}"] = [
            Case(
                "post",
                _by_role(spec.role),
                kwargs=kwargs,
                data=lambda w: {"x": 1},
                api=True,
                note="registry: unknown field",
            )
        ]
    return cases


def app(world: Any) -> dict[str, int]:
    return {"pk": world.application.pk}


def draft(world: Any) -> dict[str, int]:
    return {"pk": world.draft.pk}


def pages(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_PAGE, **expect)


def api(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_API, **expect)


SPECIFIC = {
    "loans:list": [Case("get", pages(owner_a=200, owner_b=200))],
    "loans:new": [
        Case("get", pages(owner_a=200, owner_b=200)),
        Case("post", pages(owner_a=400, owner_b=400), data=lambda w: {}, note="invalid form re-renders"),
    ],
    "loans:pipeline": [Case("get", pages(banker_x=200, banker_y=200))],
    "loans:pipeline-charts": [Case("get", pages(banker_x=200, banker_y=200))],
    "loans:platform-charts": [Case("get", pages(staff=200))],
    "loans:pipeline-stage": [
        Case("get", pages(banker_x=200, banker_y=200), kwargs=lambda w: {"status": "submitted"}),
        Case(
            "get", pages(banker_x=404, banker_y=404), kwargs=lambda w: {"status": "draft"}, note="not a stage"
        ),
    ],
    "loans:detail": [
        Case("get", pages(owner_a=200, owner_b=404, banker_x=200, banker_y=404), kwargs=app),
        Case("get", pages(owner_a=200, owner_b=404, banker_x=404, banker_y=404), kwargs=draft, note="draft"),
    ],
    "loans:edit": [
        Case("get", pages(owner_a=200, owner_b=404), kwargs=draft),
        Case("post", pages(owner_a=400, owner_b=404), kwargs=draft, data=lambda w: {}),
        Case("get", pages(owner_a=302, owner_b=404), kwargs=app, note="not a draft: back to the detail"),
    ],
    "loans:action": [
        # Empty bodies: the form is invalid (400) for whoever may act; others never get that far.
        Case(
            "post",
            pages(owner_a=400, owner_b=404, banker_x=403, banker_y=404),
            kwargs=lambda w: {**app(w), "action": "respond"},
            data=lambda w: {},
        ),
        Case(
            "post",
            pages(owner_a=403, owner_b=404, banker_x=400, banker_y=404),
            kwargs=lambda w: {**app(w), "action": "approve"},
            data=lambda w: {},
        ),
        Case(
            "get",
            pages(owner_a=200, owner_b=404, banker_x=403, banker_y=404),
            kwargs=lambda w: {**app(w), "action": "withdraw"},
            note="withdraw confirmation page",
        ),
        Case(
            "get",
            pages(owner_a=404, owner_b=404, banker_x=404, banker_y=404),
            kwargs=lambda w: {**app(w), "action": "explode"},
            note="unknown action",
        ),
    ],
    "api:application-list": [
        Case("get", api(owner_a=200, owner_b=200, banker_x=200, banker_y=200), api=True),
        Case("post", api(owner_a=400, owner_b=400), data=lambda w: {}, api=True),
    ],
    "api:application-detail": [
        Case("get", api(owner_a=200, owner_b=404, banker_x=200, banker_y=404), kwargs=app, api=True),
        Case("get", api(owner_a=200, owner_b=404, banker_x=404, banker_y=404), kwargs=draft, api=True),
        Case(
            "patch",
            api(owner_a=400, owner_b=404),
            kwargs=draft,
            data=lambda w: {"status": "approved"},
            api=True,
            note="unknown field",
        ),
        Case(
            "patch",
            api(owner_a=409, owner_b=404),
            kwargs=app,
            data=lambda w: {},
            api=True,
            note="not a draft",
        ),
    ],
    "api:application-events": [
        Case("get", api(owner_a=200, owner_b=404, banker_x=200, banker_y=404), kwargs=app, api=True),
    ],
    "api:application-submit": [
        Case("post", api(owner_a=409, owner_b=404), kwargs=app, data=lambda w: {}, api=True),
    ],
    "api:application-withdraw": [
        Case("post", api(owner_a=400, owner_b=404), kwargs=app, data=lambda w: {"x": 1}, api=True),
    ],
    "api:application-respond": [
        Case("post", api(owner_a=409, owner_b=404), kwargs=app, data=lambda w: {"note": "hi"}, api=True),
    ],
    "api:application-start-review": [
        Case("post", api(banker_x=409, banker_y=404), kwargs=app, data=lambda w: {}, api=True),
    ],
    "api:application-request-info": [
        Case("post", api(banker_x=400, banker_y=404), kwargs=app, data=lambda w: {}, api=True),
    ],
    "api:application-approve": [
        Case("post", api(banker_x=400, banker_y=404), kwargs=app, data=lambda w: {}, api=True),
    ],
    "api:application-decline": [
        Case("post", api(banker_x=400, banker_y=404), kwargs=app, data=lambda w: {}, api=True),
    ],
    "api:application-offers": [
        Case(
            "get",
            api(owner_a=200, owner_b=404, banker_x=200, banker_y=404),
            kwargs=lambda w: {"pk": w.offered.pk},
            api=True,
        ),
    ],
    "api:application-offer-accept": [
        Case(
            "post",
            api(owner_a=404, owner_b=404),
            kwargs=lambda w: {"pk": w.application.pk, "offer": w.offer.pk},
            data=lambda w: {},
            api=True,
            note="an offer that is not on this application",
        ),
    ],
    "loans:offer-action": [
        Case(
            "get",
            pages(owner_a=200, owner_b=404, banker_x=403, banker_y=404),
            kwargs=lambda w: {**offer(w), "action": "accept"},
            note="accept: the confirmation restating the terms",
        ),
        Case(
            "get",
            pages(owner_a=403, owner_b=404, banker_x=200, banker_y=404),
            kwargs=lambda w: {**offer(w), "action": "withdraw"},
        ),
        Case(
            "post",
            pages(owner_a=200, owner_b=404, banker_x=403, banker_y=404),
            kwargs=lambda w: {**offer(w), "action": "decline"},
            data=lambda w: {},
            note="decline: the confirmation step (reason optional)",
        ),
        Case(
            "get",
            pages(owner_a=404, owner_b=404, banker_x=404, banker_y=404),
            kwargs=lambda w: {**offer(w), "action": "explode"},
            note="unknown action",
        ),
    ],
}

ROUTES: dict[str, list[Case]] = {name: list(cases) for name, cases in SPECIFIC.items()}
for _name, _cases in registry_cases().items():
    ROUTES.setdefault(_name, []).extend(_cases)
