"""Load the whole demo: every domain adds its part here."""

from __future__ import annotations

from tend.accounts.models import Organization
from tend.demo.people import DEMO_ORGANIZATIONS, create_demo_people


def demo_is_loaded() -> bool:
    return Organization.objects.filter(name=DEMO_ORGANIZATIONS[0].name).exists()


def load_demo() -> None:
    """Create the demo organizations and their data (call once, on an empty database)."""
    create_demo_people()
