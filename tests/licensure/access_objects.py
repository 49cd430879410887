"""URL keywords of licensure routes, for the access-matrix test."""

from __future__ import annotations

from tests.careers.factories import make_license

OBJECTS = {
    # A licence is its holder's alone: everyone else, outsiders included, gets 404.
    "license_id": (lambda cast: str(make_license(cast.clinician).public_id), True),
}
