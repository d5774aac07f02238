"""Directory pages: the search page and a banker's public profile."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from b2bbank.domain_errors import NotFound
from b2bbank.page_errors import report_domain_error

from .filters import BankerSearchForm, Ordering
from .permissions import can_contact_banker, directory_page
from .search_cache import cached_banker_search_page
from .selectors import SEARCH_CAP, BankerPage, banker_public_profile

# The boxes folded behind "Filters"; the button counts those in use.
FILTERS = ("product", "amount", "industry", "region", "availability", "accepting")


def page_sort_choices(form: BankerSearchForm) -> None:
    """The page's "Sort by" lists each order once, the one used when none is
    chosen first (best match with search text, newest without), instead of an
    extra "Best match, or newest" entry beside "Best match"."""
    labels = dict(Ordering.CHOICES)
    others = [Ordering.MIN_AMOUNT, Ordering.MIN_AMOUNT_DESC]
    if (form.data.get("q") or "").strip():
        order = [Ordering.RELEVANCE, *others, Ordering.NEWEST]
    else:
        order = [Ordering.NEWEST, *others]
    form.fields["ordering"].choices = [(value, labels[value]) for value in order]  # type: ignore[attr-defined]


@directory_page
def search(request: HttpRequest) -> HttpResponse:
    form = BankerSearchForm(request.GET)
    page_sort_choices(form)
    page: BankerPage | None = None
    if form.is_valid():
        try:
            page = cached_banker_search_page(params=form.params())
        except NotFound as exc:
            report_domain_error(request, exc)
    status = 200 if page is not None else 400
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "page": page,
            "unknown_errors": form.unknown_parameter_errors() if form.is_bound else {},
            "query_without_page": query.urlencode(),
            "search_cap": SEARCH_CAP,
            "active_filters": sum(1 for name in FILTERS if request.GET.get(name)),
        },
        status=status,
    )


@directory_page
def profile(request: HttpRequest, banker_id: int) -> HttpResponse:
    try:
        banker = banker_public_profile(banker_id=banker_id)
    except NotFound as exc:
        report_domain_error(request, exc)
        raise  # report_domain_error always raises Http404 for NotFound
    return render(
        request,
        "directory/profile.html",
        {"banker": banker, "can_contact": can_contact_banker(request.user)},
    )
