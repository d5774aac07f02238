"""Every project route, plus `bench/bare-upload/`: Django's own streaming to a
temporary file and a move into the folder, nothing else (the baseline)."""

from __future__ import annotations

import os
import secrets

from django.core.files.move import file_move_safe
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from b2bbank.urls import handler400, handler403, handler404, handler500  # noqa: F401
from b2bbank.urls import urlpatterns as project


@csrf_exempt
def bare_upload(request: HttpRequest) -> JsonResponse:
    request.upload_handlers = [TemporaryFileUploadHandler(request)]
    upload = request.FILES["file"]
    target = os.path.join(os.environ["BENCH_BARE_ROOT"], secrets.token_hex(16))
    file_move_safe(upload.temporary_file_path(), target)  # type: ignore[attr-defined]
    return JsonResponse({"size": upload.size}, status=201)


urlpatterns = [path("bench/bare-upload/", bare_upload), *project]
