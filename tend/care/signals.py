"""What the care app tells other apps, without knowing who listens.

`note_finalized` is sent by the signing services inside their transaction when a progress
note becomes final (signed by a licensed author, or co-signed by the supervisor); the
licensure app's hours ledger connects to it in its AppConfig.ready().
"""

from __future__ import annotations

from django.dispatch import Signal

# kwargs: note (a final, locked ProgressNote with its appointment and organization loaded)
note_finalized = Signal()
