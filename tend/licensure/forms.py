from __future__ import annotations

from typing import Any

from django import forms

from tend.accounts.models import US_STATES, User
from tend.licensure import requirements
from tend.licensure.models import (
    ExamAttempt,
    HoursCategory,
    HoursVerification,
    License,
    LicenseFamily,
)
from tend.licensure.selectors import licenses_for

_DATE = forms.DateInput(attrs={"type": "date"})


def _set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{field!r} is not a choice field")
    field.choices = choices


class LicenseForm(forms.Form):
    state = forms.ChoiceField(choices=US_STATES)
    family = forms.ChoiceField(label="Licence family", choices=LicenseFamily.choices)
    title = forms.CharField(max_length=120, help_text="As the board writes it, e.g. LPC.")
    number = forms.CharField(label="Licence number", max_length=40)
    issued_on = forms.DateField(label="Issued on", widget=_DATE)
    expires_on = forms.DateField(label="Expires on", widget=_DATE)
    status = forms.ChoiceField(choices=License.Status.choices)


class LicenseUpdateForm(forms.Form):
    expires_on = forms.DateField(label="Expires on", widget=_DATE)
    status = forms.ChoiceField(choices=License.Status.choices)


class CompactPrivilegeForm(forms.Form):
    home_license = forms.ChoiceField(label="Home licence")
    compact_code = forms.ChoiceField(label="Compact")
    state = forms.ChoiceField(label="Remote state", choices=US_STATES)
    expires_on = forms.DateField(label="Expires on", widget=_DATE)

    def __init__(self, *args: Any, holder: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self.fields["home_license"],
            [
                (str(item.public_id), str(item))
                for item in licenses_for(holder).filter(status=License.Status.ACTIVE)
            ],
        )
        _set_choices(
            self.fields["compact_code"],
            [
                (code, compact.name)
                for code, compact in requirements.compacts().items()
                if compact.status != "none_found"
            ],
        )


class ExamAttemptForm(forms.Form):
    exam_code = forms.ChoiceField(label="Exam")
    taken_on = forms.DateField(label="Taken on", widget=_DATE)
    result = forms.ChoiceField(choices=ExamAttempt.Result.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self.fields["exam_code"],
            [
                (code, f"{exam.name} ({exam.body})")
                for code, exam in requirements.exams_catalogue().items()
            ],
        )


class HoursEntryForm(forms.Form):
    category = forms.ChoiceField(choices=HoursCategory.choices)
    worked_on = forms.DateField(label="Date", widget=_DATE)
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=24 * 60)
    site = forms.CharField(
        max_length=200, required=False, help_text="Where the work was done, if not here."
    )
    description = forms.CharField(
        max_length=300, help_text="What the work was. No client names or details."
    )
    attachment = forms.FileField(
        required=False, help_text="Optional: the other site's log or a signed form (PDF or image)."
    )


class VerifyPeriodForm(forms.Form):
    period = forms.ChoiceField(choices=HoursVerification.Period.choices, initial="month")
    containing = forms.DateField(
        label="A day in the period", widget=_DATE, help_text="The week or month containing it."
    )


class WhatIfForm(forms.Form):
    state = forms.ChoiceField(label="What if I moved to", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(
            self.fields["state"],
            [("", "Choose a state"), *((state, state) for state in requirements.states())],
        )
