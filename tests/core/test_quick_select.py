"""QuickSelect writes the markup Django's Select writes, without a template per option."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from tend.careers.forms import SearchForm
from tend.core.forms import QuickSelect

CHOICES: list[tuple[Any, Any]] = [
    ("", "Any state"),
    ("TX", "Texas & <Gulf>"),
    (3, "A number"),
    ("Telehealth", [("remote", "Remote"), ("hybrid", "Hybrid")]),
]


@pytest.mark.parametrize("value", ["", "TX", "3", "hybrid", None, "unknown"])
def test_it_renders_exactly_what_django_select_renders(value: str | None) -> None:
    attrs = {"class": 'wide "quoted"', "disabled": True, "data-empty": False, "data-n": None}
    # Django's own Select through Django's template engine: the reference markup.
    expected = forms.Select(attrs=attrs, choices=CHOICES).render(
        "state",
        value,
        attrs={"id": "id_state", "aria-describedby": "id_state_helptext"},
        renderer=DjangoTemplates(),
    )
    rendered = QuickSelect(attrs=attrs, choices=CHOICES).render(
        "state", value, attrs={"id": "id_state", "aria-describedby": "id_state_helptext"}
    )
    assert rendered == expected


def test_the_job_search_form_renders_as_it_did_with_django_selects() -> None:
    # Against Django's own Select through Django's template engine: the reference markup.
    form = SearchForm(
        {"q": "dbt", "state": "TX", "modality": "dbt", "sort": "pay"}, renderer=DjangoTemplates()
    )
    assert form.is_valid()
    quick = str(form)
    selects = [field for field in form.fields.values() if isinstance(field.widget, QuickSelect)]
    for field in selects:
        field.widget = forms.Select(choices=field.choices)
    assert len(selects) == 7
    assert quick == str(form)
    assert '<option value="TX" selected>Texas</option>' in quick
