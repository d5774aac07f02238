"""The product's routes plus the benchmark-only hello view."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from b2bbank.urls import urlpatterns as product_urlpatterns


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"hello": "world"})


urlpatterns = [path("bench/hello/", hello, name="bench-hello"), *product_urlpatterns]
