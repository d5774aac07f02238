"""Best match is the true top of every match: each page of a relevance search is
what ranking every matching banker by hand gives (tier, then newest, then id;
directory.selectors), on data where the best matches are the newest bankers and
more bankers match than the search counts (SEARCH_CAP)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from accounts.choices import VerificationStatus
from accounts.models import BankerProfile, User
from directory import search_sql
from directory.filters import Ordering, SearchParams
from directory.selectors import SEARCH_CAP, banker_search_page

pytestmark = pytest.mark.django_db

WORDS = ["orchard", "vineyard", "dairy", "harbor", "lending"]
OLD_WEAK = 560  # more than SEARCH_CAP: the old search ranked only the first 501 found
NEW_STRONG = 60


def _make_bankers() -> None:
    """Old bankers mention the words in their bio only; newer ones in their
    title or place; the newest in their name or institution. Inserted in that
    order, so the best matches are the newest, as in the issue."""
    rng = random.Random(17)
    total = OLD_WEAK + 2 * NEW_STRONG
    users = User.objects.bulk_create(
        [
            User(email=f"rel{n}@example.com", role="banker", first_name="Pat", last_name=f"Tester{n}")
            for n in range(total)
        ]
    )
    profiles = []
    for n, user in enumerate(users):
        words = " ".join(rng.sample(WORDS, 2))
        fields: dict[str, Any] = {
            "institution": "Plain Bank",
            "job_title": "Banker",
            "bio": "Business loans.",
        }
        if n < OLD_WEAK:
            # Every old banker matches "orchard": more than SEARCH_CAP matches.
            fields["bio"] = f"Loans for orchard and {words} owners."
        elif n < OLD_WEAK + NEW_STRONG:
            fields["job_title"] = f"{words} specialist"
        else:
            fields["institution"] = f"{words} Bank"
        profiles.append(
            BankerProfile(
                user=user,
                min_loan_amount=Decimal(rng.choice([10_000, 100_000, 1_000_000])),
                products=rng.sample(["term_loan", "sba_loan", "line_of_credit"], 2),
                region=rng.choice(["CA", "TX"]),
                verification_status=VerificationStatus.VERIFIED,
                **fields,
            )
        )
    BankerProfile.objects.bulk_create(profiles)


@pytest.fixture
def bankers() -> None:
    _make_bankers()


def brute_force(params: SearchParams) -> list[int]:
    """Every listed banker, each tested against the query with no index, no
    limit and no early stop; the matches sorted by the documented order."""
    filters = "TRUE"
    args: list[Any] = [params.q] * 3
    if params.product:
        filters += " AND %s = ANY(products)"
        args.append(params.product)
    if params.region:
        filters += " AND upper(region) = upper(%s)"
        args.append(params.region)
    if params.amount is not None:
        filters += " AND min_loan_amount <= %s AND (max_loan_amount IS NULL OR max_loan_amount >= %s)"
        args += [params.amount, params.amount]
    query = "websearch_to_tsquery('english', %s)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT banker_id, listed_since, text_name @@ {query}, (text_name || text_title) @@ {query}, "  # noqa: S608
            f"(text_name || text_title || text_bio) @@ {query}, {filters} FROM directory_listing",
            args,
        )
        rows = cursor.fetchall()
    matches = [
        (3 if name else 2 if title else 1, since, banker)
        for banker, since, name, title, everything, passes in rows
        if everything and passes
    ]
    return [banker for _, _, banker in sorted(matches, reverse=True)]


def page_ids(params: SearchParams, *, use_estimates: bool = False) -> list[int]:
    return [row["user_id"] for row in banker_search_page(params=params, use_estimates=use_estimates).rows]


# How the tiers are read: fixed walks (the default, longer than the table here;
# too short to fill a page; one entry, so the text index answers), or chosen
# from PostgreSQL's estimates (as planned; always the text index first; always
# a walk).
WAYS = {
    "walks": {},
    "short-walks": {"_WALK": dict.fromkeys((3, 2, 1), 40)},
    "text-index": {"_WALK": dict.fromkeys((3, 2, 1), 1)},
    "estimates": {},
    "estimates-index-first": {"_INDEX_MATCH_COST": 0},
    "estimates-walk-first": {"_INDEX_MATCH_COST": 10**9, "_WALK": dict.fromkeys((3, 2, 1), 1)},
}


@pytest.mark.parametrize(
    "search",
    [
        {"q": "orchard"},
        {"q": "vineyard dairy"},
        {"q": "harbor lending"},
        {"q": '"orchard vineyard"'},
        {"q": "orchard", "product": "sba_loan"},
        {"q": "dairy", "region": "tx", "amount": Decimal("150000")},
        {"q": "lending -harbor"},
    ],
    ids=lambda search: "&".join(f"{key}={value}" for key, value in search.items()),
)
@pytest.mark.parametrize("way", WAYS)
def test_each_page_is_the_true_top_of_every_match(
    bankers: None, search: dict[str, Any], way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever way each tier is read (WAYS)."""
    for name, value in WAYS[way].items():
        monkeypatch.setattr(search_sql, name, value)
    everything = brute_force(SearchParams(**search))
    assert len(everything) > 20  # enough to page through
    for page in (1, 2, 3):
        start = (page - 1) * 20
        expected = everything[start : start + 20]
        if start >= min(len(everything), SEARCH_CAP):
            break
        assert (
            page_ids(SearchParams(**search, page=page), use_estimates=way.startswith("estimates")) == expected
        ), page


def test_page_one_is_the_newest_best_matches_even_when_hundreds_match(bankers: None) -> None:
    page = banker_search_page(params=SearchParams(q="orchard"))
    assert page.count_capped  # more than SEARCH_CAP match
    assert "orchard" in page.rows[0]["institution"].lower()
    # None of the hundreds of older, bio-only matches is on page 1.
    assert all(row["job_title"] != "Banker" or "orchard" in row["institution"].lower() for row in page.rows)


def test_relevance_and_explicit_orderings_count_the_same_matches(bankers: None) -> None:
    for q in ("vineyard dairy", "orchard"):
        ranked = banker_search_page(params=SearchParams(q=q))
        newest = banker_search_page(params=SearchParams(q=q, ordering=Ordering.NEWEST))
        assert (ranked.count, ranked.count_capped) == (newest.count, newest.count_capped)
