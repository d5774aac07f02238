"""Directory API: search listed bankers, read one banker's public profile."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from b2bbank.throttling import cache_reads_found
from directory.filters import Ordering, SearchParams, parse_search_query
from directory.permissions import CanBrowseDirectory
from directory.search_cache import cache_keys, cached_search
from directory.selectors import banker_public_profile

from .serializers import BankerDetailOutput, BankerPageOutput, search_answer, search_answer_json

SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Full text over name, institution, title, bio, city."
    ),
    OpenApiParameter("product", OpenApiTypes.STR, description="A product the banker offers."),
    OpenApiParameter("amount", OpenApiTypes.DECIMAL, description="A loan amount within the banker's range."),
    OpenApiParameter("industry", OpenApiTypes.STR, description="An industry the banker serves."),
    OpenApiParameter("region", OpenApiTypes.STR, description="State / region, case-insensitive (e.g. CA)."),
    OpenApiParameter("availability", OpenApiTypes.STR, enum=["available", "busy", "away"]),
    OpenApiParameter("accepting", OpenApiTypes.STR, enum=["true", "false"]),
    OpenApiParameter("ordering", OpenApiTypes.STR, enum=[value for value, _ in Ordering.CHOICES]),
    OpenApiParameter("page", OpenApiTypes.INT),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="1 to 50, default 20."),
]


# The cache entries' shape: the page's rendered results (serializers.SearchAnswer).
ANSWER = "api"


def _page_link(url: str, number: int) -> str:
    return remove_query_param(url, "page") if number == 1 else replace_query_param(url, "page", number)


def _query_string(request: Request) -> str:
    """The query string to validate, once per request for both readers.

    As sent when it is ASCII (clients percent-encode the rest): Django reads
    that to the same `QueryDict` under WSGI and ASGI, and the string costs
    nothing, where `QueryDict.urlencode()` quotes every value again. Anything
    else goes through Django's reading of it, as before."""
    sent = request.META.get("QUERY_STRING", "")
    return sent if sent.isascii() else request.query_params.urlencode()


class BankerListApi(APIView):
    permission_classes = (CanBrowseDirectory,)

    def throttle_cache_reads(self, request: Request) -> list[str]:
        """The cached answer's keys: the user's throttle reads them in the same
        round trip to Redis as its count (b2bbank.throttling)."""
        params = parse_search_query(_query_string(request))
        return cache_keys(params=params, shape=ANSWER) if isinstance(params, SearchParams) else []

    @extend_schema(operation_id="bankers_list", parameters=SEARCH_PARAMETERS, responses=BankerPageOutput)
    def get(self, request: Request) -> HttpResponse:
        # Memoized per query string (directory.filters), so throttle_cache_reads' parse is not repeated.
        params = parse_search_query(_query_string(request))
        if not isinstance(params, SearchParams):
            raise ValidationError({name: list(errors) for name, errors in params.items()})
        answer = cached_search(
            params=params,
            shape=ANSWER,
            build=search_answer,
            found=cache_reads_found(request),
            # Counting is most of an uncached search; the answer says when it is an estimate.
            use_estimates=True,
            as_json=True,  # the results as PostgreSQL writes them: no row loaded, none rendered
        )
        url = request.build_absolute_uri() if answer.has_next or answer.has_previous else ""
        body = search_answer_json(
            answer,
            next_url=_page_link(url, answer.page + 1) if answer.has_next else None,
            previous_url=_page_link(url, answer.page - 1) if answer.has_previous else None,
        )
        # Already JSON: DRF's renderer (the only one the API offers) has nothing left to do.
        return HttpResponse(body, content_type="application/json")


class BankerDetailApi(APIView):
    permission_classes = (CanBrowseDirectory,)

    @extend_schema(operation_id="bankers_retrieve", responses=BankerDetailOutput)
    def get(self, request: Request, banker_id: int) -> Response:
        return Response(BankerDetailOutput(banker_public_profile(banker_id=banker_id)).data)
