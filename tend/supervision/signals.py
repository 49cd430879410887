"""What supervision tells other apps, without knowing who listens.

Sent by `supervision_session_sign` inside its transaction once both signatures are on a
session; the licensure app's hours ledger connects to it in its AppConfig.ready().
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: session (a locked SupervisionSession)
supervision_session_signed = Signal()
