"""No routes: the decorator applies to other apps' endpoints."""

ROUTES: dict = {}
