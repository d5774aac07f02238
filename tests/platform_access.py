"""Access expectations for the platform's own routes (not owned by an app)."""

from tests.access import Case, same

ROUTES = {
    "home": [Case("get", same(200))],
    "dashboard": [Case("get", same(302, anonymous="login"))],
    "healthz": [Case("get", same(200))],
    "api-docs": [Case("get", same(200))],
    "api:schema": [Case("get", same(200), api=True)],
    # Django admin guards itself: non-staff are sent to the admin login page.
    "admin:index": [Case("get", same(302, staff=200))],
}
