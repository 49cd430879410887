"""URL keywords of supervision routes, for the access-matrix test: the cast's supervisor
supervising the associate (with a contract on file), and one session of theirs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tend.supervision.services import supervision_contract_attach
from tests.conftest import Cast
from tests.supervision.factories import make_relationship, make_session


def _relationship(cast: Cast) -> str:
    relationship = supervision_contract_attach(
        relationship=make_relationship(cast),
        actor=cast.supervisor,
        contract=SimpleUploadedFile("contract.pdf", b"%PDF-1.4 contract", "application/pdf"),
    )
    return str(relationship.public_id)


OBJECTS = {
    "relationship_id": (_relationship, True),
    "session_id": (lambda cast: str(make_session(make_relationship(cast)).public_id), True),
}
