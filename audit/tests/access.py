"""The audit app has no routes of its own (admin only)."""

ROUTES: dict = {}
