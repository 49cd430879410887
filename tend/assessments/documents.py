"""Printable documents: the HTML of an assessment for `tend.core.pdf.render_pdf`."""

from __future__ import annotations

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
