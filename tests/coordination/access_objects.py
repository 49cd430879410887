"""URL keywords of coordination routes, for the access-matrix test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tend.coordination import services
from tend.coordination.models import Consent, Disclosure, Referral
from tests.conftest import Cast
from tests.coordination.helpers import make_client, make_consent, make_provider, make_resource


def _provider(cast: Cast) -> str:
    return str(make_provider(cast.organization, cast.clinician).public_id)


def _resource(cast: Cast) -> str:
    return str(make_resource(cast.organization).public_id)


def _consent(cast: Cast) -> str:
    client = make_client(cast)
    provider = make_provider(cast.organization, cast.clinician)
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed form", "application/pdf")
    consent = make_consent(
        client,
        cast.clinician,
        provider,
        ["diagnoses"],
        signature_method=Consent.SignatureMethod.SCAN,
        typed_signature="",
        signature_scan=scan,
    )
    return str(consent.public_id)


def _disclosure(cast: Cast) -> str:
    client = make_client(cast)
    with time_machine.travel(date(2026, 11, 20), tick=False):
        disclosure = services.client_copy_release(
            client=client, actor=cast.clinician, delivery=Disclosure.Delivery.PORTAL
        )
    return str(disclosure.public_id)


def _referral(cast: Cast) -> str:
    referral = services.referral_create(
        client=make_client(cast),
        actor=cast.clinician,
        kind=Referral.Kind.COMMUNITY,
        resource=make_resource(cast.organization),
        provider=None,
        reason="Housing insecurity",
        urgency=Referral.Urgency.SOON,
        consent=None,
        follow_up_on=date(2026, 12, 4),
    )
    return str(referral.public_id)


Factory = tuple[Callable[[Cast], str], bool]

OBJECTS: dict[str, Factory] = {
    "provider_id": (_provider, True),
    "resource_id": (_resource, True),
    "consent_id": (_consent, True),
    "disclosure_id": (_disclosure, True),
    "referral_id": (_referral, True),
}

# <client_id> belongs to the clients app's tests (other domains stand in until it does);
# define it only when no other domain's access objects do.
_OTHERS = [
    path
    for path in Path(__file__).parents[1].glob("*/access_objects.py")
    if path.parent.name != "coordination"
]
if not any('"client_id"' in path.read_text() for path in _OTHERS):
    OBJECTS["client_id"] = (lambda cast: str(make_client(cast).public_id), True)
