"""URL keywords of licensure routes, for the access-matrix test."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from tend.licensure.services import hours_entry_add
from tests.careers.factories import make_license
from tests.conftest import Cast
from tests.supervision.factories import make_relationship


def _entry(cast: Cast) -> str:
    entry = hours_entry_add(
        organization=cast.organization,
        associate=cast.associate,
        category="indirect",
        worked_on=date(2026, 3, 2),
        minutes=60,
        site="Community clinic",
        description="Case consultation",
        attachment=SimpleUploadedFile("log.pdf", b"%PDF-1.4 log", "application/pdf"),
    )
    return str(entry.public_id)


def _supervisee(cast: Cast) -> str:
    make_relationship(cast)
    return str(cast.associate.public_id)


OBJECTS = {
    # A licence is its holder's alone: everyone else, outsiders included, gets 404.
    "license_id": (lambda cast: str(make_license(cast.clinician).public_id), True),
    # Ledger entries are the associate's own.
    "entry_id": (_entry, True),
    # The associate, supervised by the cast's supervisor.
    "supervisee_id": (_supervisee, True),
}
