"""The one builder of file downloads (`tend.core.downloads`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from tend.coordination.models import Consent
from tend.core.downloads import attachment_response, stored_file_response


def test_a_generated_pdf_downloads_under_its_name_with_the_guessed_type() -> None:
    response = attachment_response(b"%PDF-1.7", "treatment-plan-v2.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="treatment-plan-v2.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content == b"%PDF-1.7"


def test_an_inline_document_is_kept_out_of_every_cache_too() -> None:
    response = attachment_response(b"%PDF-1.7", "safety-plan-v1.pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="safety-plan-v1.pdf"'
    assert response["Cache-Control"] == "no-store"


def test_a_name_is_quoted_safely_and_an_unknown_type_is_plain_bytes() -> None:
    quoted = attachment_response(b"x", 'say "hi".bin2')
    assert quoted["Content-Disposition"] == r'attachment; filename="say \"hi\".bin2"'
    assert quoted["Content-Type"] == "application/octet-stream"
    accented = attachment_response(b"x", "résumé.pdf")
    assert accented["Content-Disposition"] == "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf"


def test_a_stored_file_downloads_whole_with_the_type_it_is_given(
    settings: Any, tmp_path: Path
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    stored = FieldFile(Consent(), Consent._meta.get_field("signature_scan"), None)
    stored.save("bundle.JSON", ContentFile(b'{"resourceType": "Bundle"}'), save=False)
    # The stored file's extension, lower-cased, follows the name given.
    response = stored_file_response(
        stored, "records-2026-03-18", content_type="application/fhir+json"
    )
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"] == 'attachment; filename="records-2026-03-18.json"'
    assert response["Cache-Control"] == "no-store"
    assert response.content == b'{"resourceType": "Bundle"}'
