"""Printable documents: an assessment rendered to PDF with WeasyPrint."""

from __future__ import annotations

from typing import Any, NoReturn

from django.template.loader import render_to_string
from django.utils import timezone

from tend.assessments import selectors
from tend.assessments.models import Assessment


def assessment_pdf_html(assessment: Assessment) -> str:
    """The HTML WeasyPrint lays out: the whole assessment with its addenda."""
    return render_to_string(
        "assessments/pdf.html",
        {
            "assessment": assessment,
            "client": assessment.client,
            "sections": selectors.answered_sections(assessment),
            "addenda": list(selectors.assessment_addenda(assessment)),
            "printed_at": timezone.localtime(),
        },
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # The document is self-contained; fetching anything (a URL a clinician typed into a
    # field, say) would leak client data to a third party.
    raise ValueError(f"External resources are not loaded in printed documents: {url}")


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
