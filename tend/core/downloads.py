"""Documents handed to the browser as files: one place that builds the response."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment_response(
    content: bytes,
    filename: str,
    *,
    content_type: str = "",
    inline: bool = False,
) -> HttpResponse:
    """`content` as a file called `filename`: downloaded, or shown in the browser with
    `inline`; the content type is guessed from the name unless given. Every document Tend
    hands out is about a client or a clinician, so none may stay in a browser or proxy
    cache. The name must carry no client data: download folders and proxies keep it."""
    guessed = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=guessed)
    disposition = content_disposition_header(not inline, filename)
    if disposition:  # None only for an inline file without a name
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = "no-store"
    return response


def stored_file_response(stored: FieldFile, stem: str, *, content_type: str = "") -> HttpResponse:
    """A stored document as a download called `stem` plus the stored file's own extension
    (lower-cased; uploads are capped at 10 MB, so reading one whole is fine)."""
    filename = stem + PurePosixPath(stored.name or "").suffix.lower()
    with stored.open("rb") as handle:
        return attachment_response(handle.read(), filename, content_type=content_type)
