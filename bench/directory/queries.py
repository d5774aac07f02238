"""The search mix: what business owners type and pick. Every path must answer 200
(the runner checks before measuring), so the page-20 lists use searches with at
least 400 matches in the generated data."""

from __future__ import annotations

from urllib.parse import urlencode

API = "/api/v1/bankers/"

TEXT = [
    {"q": "equipment"},
    {"q": "harbor"},
    {"q": "sba loans"},
    {"q": "Patel"},
    {"q": "restaurants"},
    {"q": "Seattle"},
    {"q": "working capital"},
    {"q": "Maya Nguyen"},
    {"q": "dental practices"},
    {"q": "Pacific Trust"},
]
FILTERS = [
    {"product": "equipment_financing", "amount": "250000", "region": "CA", "availability": "available"},
    {"product": "sba_loan", "region": "TX"},
    {"industry": "healthcare", "amount": "100000"},
    {"product": "line_of_credit", "accepting": "true", "region": "NY"},
    {"availability": "available", "industry": "retail", "ordering": "min_amount"},
    {"amount": "1000000", "product": "commercial_real_estate"},
    {"region": "FL", "industry": "hospitality"},
    {"product": "invoice_financing", "ordering": "-min_amount"},
]
BOTH = [
    {"q": "equipment", "product": "equipment_financing", "amount": "250000", "region": "CA"},
    {"q": "restaurants", "region": "TX"},
    {"q": "sba", "industry": "healthcare"},
    {"q": "Patel", "availability": "available"},
    {"q": "working capital", "amount": "50000"},
    {"q": "harbor", "product": "term_loan"},
    {"q": "manufacturers", "accepting": "true", "ordering": "newest"},
    {"q": "fast closings", "product": "line_of_credit"},
]
# Page 20 needs 400+ matches: broader searches of each kind.
TEXT_DEEP = [{"q": q} for q in ("equipment", "sba", "loans", "restaurants", "working capital", "bank")]
FILTERS_DEEP = [
    {"product": "sba_loan"},
    {"product": "equipment_financing", "availability": "available"},
    {"industry": "healthcare", "amount": "100000"},
    {"region": "CA", "ordering": "min_amount"},
    {"accepting": "true", "ordering": "-min_amount"},
]
BOTH_DEEP = [
    {"q": "equipment", "product": "equipment_financing"},
    {"q": "loans", "availability": "available"},
    {"q": "sba", "amount": "250000"},
    {"q": "family-owned", "accepting": "true"},
]


# New amounts: the same searches with an amount no one asked for before (the
# wrk script puts a fresh random amount, in cents, in every request). Before the
# amount classes each was a full search in PostgreSQL.
UNIQUE = "__AMOUNT__"
FILTERS_UNIQUE = [{**p, "amount": UNIQUE} for p in FILTERS]
BOTH_UNIQUE = [{**p, "amount": UNIQUE} for p in BOTH]


def paths(params: list[dict[str, str]], page: int = 1) -> list[str]:
    extra = {"page": str(page)} if page > 1 else {}
    return [f"{API}?{urlencode({**p, **extra})}" for p in params]


KINDS: dict[str, list[str]] = {
    "hello (plain Django JSON)": ["/bench/hello/"],
    "text, page 1": paths(TEXT),
    "text, page 20": paths(TEXT_DEEP, 20),
    "filters, page 1": paths(FILTERS),
    "filters, page 20": paths(FILTERS_DEEP, 20),
    "text + filters, page 1": paths(BOTH),
    "text + filters, page 20": paths(BOTH_DEEP, 20),
    "filters, every search new": paths(FILTERS_UNIQUE),
    "text + filters, every search new": paths(BOTH_UNIQUE),
    "filters, nothing cached": paths(FILTERS_UNIQUE),
    "text + filters, nothing cached": paths(BOTH_UNIQUE),
}
# Served by a second server with the search cache off: the same requests as
# "every search new", each a full search in PostgreSQL whatever was asked
# before. The floor for a search that shares nothing with an earlier one (a new
# phrase); "every search new" is what a new amount costs, which the cache can
# answer when another amount of its class was searched (directory.amount_classes).
UNCACHED = frozenset({"filters, nothing cached", "text + filters, nothing cached"})
