"""The hours ledger listens to the records it is fed from (connected in apps.py)."""

from __future__ import annotations

from typing import Any

from tend.licensure.services import hours_accrue_from_note, hours_accrue_from_supervision


def on_note_finalized(sender: Any, *, note: Any, **kwargs: Any) -> None:
    hours_accrue_from_note(note=note)


def on_supervision_session_signed(sender: Any, *, session: Any, **kwargs: Any) -> None:
    hours_accrue_from_supervision(session=session)
