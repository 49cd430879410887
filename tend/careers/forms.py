from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast
from urllib.parse import urlencode

from django import forms

from tend.accounts.models import US_STATES
from tend.careers.models import (
    EmploymentType,
    JobApplication,
    JobPosting,
    PayBasis,
    Payer,
    Setting,
    WorkArrangement,
)
from tend.careers.selectors import MAX_PAGE, JobSearch
from tend.careers.services import SHAREABLE_PARTS, PostingData
from tend.core import vocabulary
from tend.licensure.models import LicenseFamily

_CHECKBOXES = forms.CheckboxSelectMultiple


class PostingForm(forms.Form):
    title = forms.CharField(max_length=160)
    description = forms.CharField(max_length=8000, widget=forms.Textarea)
    setting = forms.ChoiceField(choices=Setting.choices)
    employment_type = forms.ChoiceField(choices=EmploymentType.choices)
    work_arrangement = forms.ChoiceField(choices=WorkArrangement.choices)
    city = forms.CharField(max_length=100, required=False)
    location_state = forms.ChoiceField(label="Location state", choices=US_STATES)
    licensed_states = forms.MultipleChoiceField(
        label="States where clinicians must be licensed",
        choices=US_STATES,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    license_families = forms.MultipleChoiceField(
        label="Licence families accepted", choices=LicenseFamily.choices, widget=_CHECKBOXES
    )
    license_titles = forms.CharField(
        label="Licence titles accepted", max_length=200, required=False
    )
    accepts_associates = forms.BooleanField(label="Associates accepted", required=False)
    supervision_provided = forms.BooleanField(
        label="Supervision toward licensure provided", required=False
    )
    supervisor_credential = forms.CharField(max_length=60, required=False)
    supervision_hours_per_week = forms.DecimalField(
        label="Supervision hours per week", min_value=0, max_value=40, required=False
    )
    supervision_cost_per_hour = forms.DecimalField(
        label="Supervision cost per hour (USD, 0 if free)", min_value=0, required=False
    )
    modalities = forms.MultipleChoiceField(
        choices=vocabulary.choices("modalities"), widget=_CHECKBOXES, required=False
    )
    populations = forms.MultipleChoiceField(
        choices=vocabulary.choices("populations"), widget=_CHECKBOXES, required=False
    )
    sessions_per_week = forms.IntegerField(
        label="Sessions per week expected", min_value=1, max_value=60
    )
    hours_per_week = forms.IntegerField(
        label="Hours per week (hourly pay)", min_value=1, max_value=80, required=False
    )
    pay_basis = forms.ChoiceField(choices=PayBasis.choices)
    pay_min = forms.DecimalField(label="Pay from", min_value=0, max_digits=10, decimal_places=2)
    pay_max = forms.DecimalField(label="Pay to", min_value=0, max_digits=10, decimal_places=2)
    collected_fee_per_session = forms.DecimalField(
        label="Average collected fee per session (fee split)", min_value=0, required=False
    )
    working_weeks_per_year = forms.IntegerField(
        min_value=1, max_value=52, help_text="Weeks a year the caseload is seen."
    )
    benefits = forms.CharField(max_length=2000, widget=forms.Textarea, required=False)
    ce_stipend = forms.IntegerField(label="CE stipend (USD per year)", min_value=0, required=False)
    malpractice_covered = forms.BooleanField(label="Malpractice insurance covered", required=False)
    payer_mix = forms.MultipleChoiceField(choices=Payer.choices, widget=_CHECKBOXES, required=False)
    education_requirements = forms.CharField(max_length=300, required=False)
    experience_requirements = forms.CharField(max_length=300, required=False)
    valid_through = forms.DateField(
        label="Valid through",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Defaults to 30 days; at most 60.",
    )

    def posting_data(self) -> PostingData:
        data = dict(self.cleaned_data)
        for name in ("supervisor_credential", "license_titles", "city"):
            data[name] = data[name] or ""
        return PostingData(**data)

    @classmethod
    def initial_from(cls, posting: JobPosting) -> dict[str, Any]:
        initial = {name: getattr(posting, name) for name in cls.base_fields}
        initial.update(
            licensed_states=posting.licensed_state_list,
            license_families=posting.license_family_list,
            modalities=posting.modality_list,
            populations=posting.population_list,
            payer_mix=posting.payer_list,
        )
        return initial


SORTS = [("relevance", "Relevance"), ("date", "Newest"), ("pay", "Highest pay")]


def _blank(choices: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", max_length=200, required=False)
    state = forms.ChoiceField(choices=_blank(US_STATES, "Any state"), required=False)
    setting = forms.ChoiceField(choices=_blank(Setting.choices, "Any setting"), required=False)
    family = forms.ChoiceField(
        label="Licence family",
        choices=_blank(LicenseFamily.choices, "Any licence"),
        required=False,
    )
    employment_type = forms.ChoiceField(
        choices=_blank(EmploymentType.choices, "Any type"), required=False
    )
    modality = forms.ChoiceField(
        choices=_blank(vocabulary.choices("modalities"), "Any modality"),
        required=False,
    )
    population = forms.ChoiceField(
        choices=_blank(vocabulary.choices("populations"), "Any population"),
        required=False,
    )
    pay_floor = forms.IntegerField(
        label="Pay at least (USD/year, normalized)", min_value=0, required=False
    )
    associate_friendly = forms.BooleanField(label="Associates welcome", required=False)
    supervision_provided = forms.BooleanField(label="Supervision provided", required=False)
    remote_or_hybrid = forms.BooleanField(label="Remote or hybrid", required=False)
    only_qualifying = forms.BooleanField(label="Only jobs I qualify for", required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def job_search(self) -> JobSearch:
        """The validated criteria (call after `is_valid()`)."""
        data = self.cleaned_data
        return JobSearch(
            text=data["q"],
            state=data["state"],
            setting=data["setting"],
            family=data["family"],
            employment_type=data["employment_type"],
            modality=data["modality"],
            population=data["population"],
            associate_friendly=data["associate_friendly"],
            supervision_provided=data["supervision_provided"],
            remote_or_hybrid=data["remote_or_hybrid"],
            pay_floor=data["pay_floor"],
            only_qualifying=data["only_qualifying"],
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
        )

    def criteria_query(self) -> str:
        """The criteria as a normalized query string: given fields only, no page."""
        pairs = []
        for name, value in self.cleaned_data.items():
            if name == "page" or value in ("", None, False):
                continue
            pairs.append((name, "on" if value is True else str(value)))
        return urlencode(pairs)

    def summary(self) -> str:
        """The criteria in words, e.g. "“dbt” · Texas · Remote or hybrid"."""
        parts = []
        for name, value in self.cleaned_data.items():
            if name in ("page", "sort") or value in ("", None, False):
                continue
            field = self.fields[name]
            if name == "q":
                parts.append(f"“{value}”")
            elif isinstance(field, forms.ChoiceField):
                labels = dict(cast(Iterable[tuple[str, str]], field.choices))
                parts.append(labels.get(value, value))
            elif value is True:
                parts.append(str(field.label))
            else:
                parts.append(f"{field.label}: {value:,}")
        return " · ".join(parts) or "All open postings"


class SavedSearchForm(forms.Form):
    name = forms.CharField(max_length=120)
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)
    alerts_enabled = forms.BooleanField(
        label="Email me new matches once a day", required=False, initial=True
    )


class ApplyForm(forms.Form):
    share = forms.MultipleChoiceField(
        label="Share from your profile",
        choices=[(part, part.capitalize()) for part in SHAREABLE_PARTS],
        widget=_CHECKBOXES,
        required=False,
    )
    cover_note = forms.CharField(max_length=4000, widget=forms.Textarea, required=False)


class ApplicationMoveForm(forms.Form):
    status = forms.ChoiceField(
        label="Stage",
        choices=[
            choice
            for choice in JobApplication.Status.choices
            if choice[0] != JobApplication.Status.WITHDRAWN
        ],
    )
    note = forms.CharField(max_length=2000, widget=forms.Textarea, required=False)
