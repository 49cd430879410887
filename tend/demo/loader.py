"""Load the whole demo: each domain app may contribute a `tend.<app>.demo` module."""

from __future__ import annotations

import importlib
import importlib.util

from tend.accounts.models import Organization
from tend.demo.people import DEMO_ORGANIZATIONS, create_demo_people

# Order matters: later domains build on earlier ones (clients before their plans, …).
DEMO_DOMAINS = (
    "clients",
    "assessments",
    "measures",
    "plans",
    "care",
    "coordination",
    # Licences first: supervision sessions check the supervisor's licence on their date,
    # and the supervision demo builds the associates' hours ledgers.
    "licensure",
    "supervision",
    "careers",
)


def demo_is_loaded() -> bool:
    return Organization.objects.filter(name=DEMO_ORGANIZATIONS[0].name).exists()


def load_demo() -> None:
    """Create the demo organizations, then let each domain add its synthetic data.

    A domain's `tend.<app>.demo.load(organizations)` receives the organizations by name.
    """
    organizations = create_demo_people()
    for domain in DEMO_DOMAINS:
        module_name = f"tend.{domain}.demo"
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).load(organizations)
