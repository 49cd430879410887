"""Forms render through Jinja2's copies of Django's templates, with the same markup."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.forms.renderers import DjangoTemplates, get_default_renderer

from tend.core.forms import FormRenderer


class EveryKindForm(forms.Form):
    name = forms.CharField(max_length=40, help_text="As on the licence & <card>")
    email = forms.EmailField(required=False)
    born = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(widget=forms.Textarea, required=False)
    consented = forms.BooleanField(required=False)
    modality = forms.ChoiceField(choices=[("cbt", "CBT"), ("dbt", "DBT")], widget=forms.RadioSelect)
    populations = forms.MultipleChoiceField(
        choices=[("adults", "Adults"), ("teens", "Teens 'n' kids")],
        widget=forms.CheckboxSelectMultiple,
    )
    state = forms.ChoiceField(choices=[("", "Any"), ("TX", "Texas")], required=False)


def _as_a_browser_reads_it(html: str) -> str:
    # Jinja2 (markupsafe) writes a quote as &#34; and an apostrophe as &#39;, Django as
    # &quot; and &#x27;; and Jinja2's copies of the widget templates lay out whitespace
    # between tags differently. Neither changes what a browser shows.
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", html)).strip()


def test_the_default_renderer_is_ours() -> None:
    assert isinstance(get_default_renderer(), FormRenderer)


def test_a_bound_form_with_errors_renders_as_djangos_template_engine_renders_it() -> None:
    data = {"name": 'Dana "D" O\'Neil', "born": "not a date", "populations": ["teens"]}
    forms_by_renderer = [
        EveryKindForm(data, renderer=renderer) for renderer in (FormRenderer(), DjangoTemplates())
    ]
    assert not any(form.is_valid() for form in forms_by_renderer)

    jinja, django = (str(form) for form in forms_by_renderer)

    assert _as_a_browser_reads_it(jinja) == _as_a_browser_reads_it(django)
    assert "Enter a valid date." in jinja


def test_a_widget_only_the_django_engine_has_still_renders() -> None:
    widget = AdminDateWidget()

    rendered = widget.render("on", date(2026, 11, 27), renderer=FormRenderer())

    assert rendered == widget.render("on", date(2026, 11, 27), renderer=DjangoTemplates())
    assert 'class="vDateField"' in rendered
