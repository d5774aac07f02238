"""Access matrix entries for accounts routes (pages and API)."""

from tests.access import ANON_API, Case, same

ROUTES = {
    "accounts:signup": [Case("get", same(302, anonymous=200))],
    "accounts:signup-owner": [Case("get", same(302, anonymous=200))],
    "accounts:signup-banker": [Case("get", same(302, anonymous=200))],
    "accounts:signup-done": [Case("get", same(302))],
    "accounts:owner-home": [Case("get", same(403, anonymous="login", owner_a=200, owner_b=200))],
    "accounts:banker-verification": [
        Case("get", same(403, anonymous="login", banker_x=200, banker_y=200)),
        Case(
            "post",
            same(403, anonymous="login", banker_x=200, banker_y=200),
            data=lambda w: {},
            note="invalid form re-renders",
        ),
    ],
    "accounts:banker-home": [Case("get", same(403, anonymous="login", banker_x=200, banker_y=200))],
    "accounts:profile": [
        Case("get", same(200, anonymous="login", staff=403)),
        Case(
            "post", same(200, anonymous="login", staff=403), data=lambda w: {}, note="invalid form re-renders"
        ),
    ],
    "api:signup-business-owner": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:signup-banker": [Case("post", same(400), data=lambda w: {}, api=True)],
    "api:me": [
        Case("get", same(200, anonymous=ANON_API), api=True),
        Case("patch", same(200, anonymous=ANON_API), data=lambda w: {}, api=True),
    ],
    "api:banker-verify": [
        Case(
            "post",
            same(403, anonymous=ANON_API, staff=200),
            kwargs=lambda w: {"banker_id": w.banker_y.pk},
            data=lambda w: {"status": "verified"},
            api=True,
        ),
        Case(
            "post",
            same(403, anonymous=ANON_API, staff=404),
            kwargs=lambda w: {"banker_id": w.owner_a.pk},
            data=lambda w: {},
            api=True,
            note="an owner's id is not a banker",
        ),
    ],
    "accounts:support": [Case("get", same(200))],
    "accounts:terms": [Case("get", same(200))],
    "accounts:privacy": [Case("get", same(200))],
    "accounts:account-close": [
        Case("get", same(200, anonymous="login")),
        Case(
            "post",
            same(200, anonymous="login"),
            data=lambda w: {},
            note="no password: re-renders, closes nothing",
        ),
    ],
    "accounts:account-closed": [Case("get", same(302), note="only right after closing; otherwise home")],
}
