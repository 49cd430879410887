from __future__ import annotations

from typing import Any

from django import forms

from tend.plans.models import (
    OBJECTIVE_FIELDS,
    Direction,
    MetricKind,
    ObjectiveStatus,
    PlanTemplate,
    TreatmentPlan,
    instrument_choices,
    modality_choices,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_TEXT = forms.Textarea(attrs={"rows": 3})


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=PlanTemplate.objects.none(),
        to_field_name="public_id",
        label="Start from a template",
        required=False,
        help_text="Adds the template's problem, goal, objectives and interventions.",
    )

    def __init__(self, *args: Any, templates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class ProblemForm(forms.Form):
    statement = forms.CharField(label="Problem", widget=_TEXT, max_length=2000)
    diagnosis_id = forms.ChoiceField(
        label="Diagnosis (optional)",
        required=False,
        help_text="One of the client's active diagnoses this problem addresses.",
    )
    diagnosis_code = forms.CharField(
        label="Or an ICD-10-CM code (optional)",
        max_length=10,
        required=False,
        help_text="When the diagnosis is not on the chart yet, e.g. F32.1.",
    )

    def __init__(self, *args: Any, diagnoses: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["diagnosis_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((str(row.public_id), f"{row.code} {row.description}") for row in diagnoses),
        ]


class GoalForm(forms.Form):
    client_words = forms.CharField(label="Goal in the client's words", widget=_TEXT)
    statement = forms.CharField(label="Clinical statement", widget=_TEXT)


class MeasurableTargetForm(forms.Form):
    """The fields of a measurable target, shared by plan objectives and library objectives.

    The target is optional here on purpose: the model's rule says why an objective without
    one cannot be saved, next to the field.
    """

    description = forms.CharField(widget=_TEXT, max_length=1000)
    metric_kind = forms.ChoiceField(label="Measured by", choices=MetricKind.choices)
    instrument_id = forms.ChoiceField(
        label="Instrument",
        required=False,
        help_text="For an instrument score only.",
    )
    target = forms.DecimalField(
        max_digits=6,
        decimal_places=1,
        required=False,
        help_text="The number that shows the objective is met.",
    )
    direction = forms.ChoiceField(label="Met when the value is", choices=Direction.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument_id"].choices = [("", "—"), *instrument_choices()]  # type: ignore[attr-defined]


class ObjectiveForm(MeasurableTargetForm):
    field_order = list(OBJECTIVE_FIELDS)

    baseline = forms.DecimalField(max_digits=6, decimal_places=1, required=False)
    target_date = forms.DateField(widget=_DATE)


class ObjectiveTemplateForm(MeasurableTargetForm):
    weeks_to_target = forms.IntegerField(
        label="Weeks to target",
        min_value=1,
        max_value=104,
        help_text="A plan written from the template sets the target date this many weeks "
        "after the day the template is used.",
    )


class InterventionForm(forms.Form):
    modality = forms.ChoiceField(choices=modality_choices)
    modality_other = forms.CharField(
        label="Other modality", max_length=100, required=False, help_text="When Other is chosen."
    )
    description = forms.CharField(widget=_TEXT, max_length=1000)
    frequency = forms.CharField(max_length=100, help_text="For example, weekly sessions.")
    responsible_person = forms.CharField(max_length=150)


class ActivationForm(forms.Form):
    review_days = forms.IntegerField(label="Review every (days)", min_value=7, max_value=365)
    agreement_kind = forms.ChoiceField(
        label="Client agreement",
        choices=TreatmentPlan.AgreementKind.choices,
        widget=forms.RadioSelect,
    )
    agreed_by_name = forms.CharField(label="Client's name as signed or spoken", max_length=150)
    agreed_on = forms.DateField(label="Date of agreement", widget=_DATE)
    signature = forms.CharField(
        label="Your signature", max_length=150, help_text="Type your full name to sign the plan."
    )


class ReviewForm(forms.Form):
    """One status (and override reason) per objective, plus a summary and a signature."""

    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    revise = forms.BooleanField(
        label="Open a new version of the plan after signing", required=False
    )
    signature = forms.CharField(
        label="Your signature", max_length=150, help_text="Type your full name to sign."
    )

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            key = row.objective.public_id
            self.fields[f"status_{key}"] = forms.ChoiceField(
                label="Status",
                choices=ObjectiveStatus.choices,
                initial=row.prefill.suggested_status,
            )
            self.fields[f"reason_{key}"] = forms.CharField(
                label="Reason for a different status", max_length=500, required=False
            )

    def objective_fields(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [
            (
                row,
                self[f"status_{row.objective.public_id}"],
                self[f"reason_{row.objective.public_id}"],
            )
            for row in self.rows
        ]


class PlanSettingsForm(forms.Form):
    default_review_days = forms.IntegerField(
        label="Default review cadence (days)",
        min_value=7,
        max_value=365,
        help_text="New plans are reviewed this often unless the clinician chooses otherwise.",
    )


class PlanTemplateForm(forms.Form):
    title = forms.CharField(max_length=150)
    problem_statement = forms.CharField(widget=_TEXT, max_length=2000)
    goal_client_words = forms.CharField(label="Goal in the client's words", widget=_TEXT)
    goal_statement = forms.CharField(label="Goal clinical statement", widget=_TEXT)
