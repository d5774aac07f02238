"""Access matrix entries for loans pages and API. Seed: owner A's application
sent to banker X (in review), and owner A's draft; owner B and banker Y get 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.choices import Product
from loans.models import LoanApplication, Status
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
    world.objects["application"] = LoanApplication.objects.create(
        **common, banker=world.banker_x, status=Status.IN_REVIEW, purpose="Seeded"
    )
    world.objects["draft"] = LoanApplication.objects.create(**common, banker=world.banker_x, purpose="Draft")


def app(world: Any) -> dict[str, int]:
    return {"pk": world.application.pk}


def draft(world: Any) -> dict[str, int]:
    return {"pk": world.draft.pk}


def pages(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_PAGE, **expect)


def api(**expect: Any) -> dict[str, Any]:
    return same(403, anonymous=ANON_API, **expect)


ROUTES = {
    "loans:list": [Case("get", pages(owner_a=200, owner_b=200))],
    "loans:new": [
        Case("get", pages(owner_a=200, owner_b=200)),
        Case("post", pages(owner_a=400, owner_b=400), data=lambda w: {}, note="invalid form re-renders"),
    ],
    "loans:pipeline": [Case("get", pages(banker_x=200, banker_y=200))],
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
}
