"""Forms generated from the instrument definitions in data/instruments.yaml."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms

from tend.measures.instruments import Instrument, Item, load_instruments
from tend.measures.models import RiskAssessment
from tend.measures.services import SCREENING_INSTRUMENT


def _item_label(instrument: Instrument, item: Item) -> str:
    if item.display_text is not None:
        return f"{item.n}. {item.display_text}"
    # Licensed wording is withheld; the compilers' construct label is ours to show.
    return f"Item {item.n}: {item.construct}"


class InstrumentForm(forms.Form):
    """One field `item_<n>` per item (radio group, or a number for visual-analogue lines),
    plus `total` where the wording is licensed and a paper total may be entered."""

    def __init__(
        self,
        *args: Any,
        instrument: Instrument,
        allow_total: bool = False,
        ask_date: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            label = _item_label(instrument, item)
            field: forms.Field
            if item.scale is not None:
                field = forms.DecimalField(
                    label=f"{label} ({item.scale[0]:g} to {item.scale[1]:g})",
                    required=False,
                    min_value=Decimal(str(item.scale[0])),
                    max_value=Decimal(str(item.scale[1])),
                    decimal_places=1,
                )
            else:
                field = forms.TypedChoiceField(
                    label=label,
                    choices=[(option.value, option.label) for option in item.options],
                    coerce=int,
                    required=False,
                    widget=forms.RadioSelect,
                )
            self.fields[f"item_{item.n}"] = field
        if allow_total and instrument.has_total and not instrument.text_included:
            low, high = instrument.score_range or (0, 0)
            self.fields["total"] = forms.FloatField(
                label=f"Or the total score only ({low:g} to {high:g})",
                required=False,
                help_text="From a licensed paper or platform form; item answers are then unknown.",
            )
        if ask_date:
            self.fields["administered_on"] = forms.DateField(
                label="Date given",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
                help_text="Leave empty for today.",
            )

    def answers(self) -> dict[str, float]:
        answers: dict[str, float] = {}
        for item in self.instrument.items:
            value = self.cleaned_data.get(f"item_{item.n}")
            if value is None or value == "":
                continue
            answers[str(item.n)] = float(value) if isinstance(value, Decimal) else value
        return answers

    def total(self) -> float | None:
        value = self.cleaned_data.get("total")
        return float(value) if value is not None else None

    def administered_on(self) -> date | None:
        value = self.cleaned_data.get("administered_on")
        return value if isinstance(value, date) else None


def _instrument_choices(*, sendable_only: bool) -> list[tuple[str, str]]:
    return [
        (instrument.id, f"{instrument.abbreviation} — {instrument.name}")
        for instrument in load_instruments().values()
        if instrument.id != SCREENING_INSTRUMENT and (instrument.text_included or not sendable_only)
    ]


class ChooseInstrumentForm(forms.Form):
    instrument_id = forms.ChoiceField(label="Instrument")

    def __init__(self, *args: Any, sendable_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument_id"].choices = _instrument_choices(sendable_only=sendable_only)  # type: ignore[attr-defined]


class VoidForm(forms.Form):
    reason = forms.CharField(label="Why is this score void?", max_length=500)


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Action taken",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. reviewed in session, risk assessment done, safety plan updated.",
    )


class RiskLevelForm(forms.Form):
    level = forms.ChoiceField(
        label="Clinician's risk level",
        required=False,
        choices=[("", "Use the screen's level"), *RiskAssessment.Level.choices],
    )
    override_reason = forms.CharField(
        label="Reason for a different level",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SafetyPlanForm(forms.Form):
    warning_signs = forms.CharField(
        label="1. Warning signs that a crisis may be developing",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    coping_strategies = forms.CharField(
        label="2. Things I can do on my own to take my mind off problems",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    distraction_people_places = forms.CharField(
        label="3. People and places that help me feel better",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    help_contacts = forms.CharField(
        label="4. People I can ask for help (names and phone numbers)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    professionals_agencies = forms.CharField(
        label="5. Professionals and services I can contact in a crisis",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="Include the 988 Suicide & Crisis Lifeline (call or text 988) and 911.",
    )
    environment_safety = forms.CharField(
        label="6. Making my surroundings safer",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    reasons_for_living = forms.CharField(
        label="My reasons for living",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    reviewed_with_client_on = forms.DateField(
        label="Reviewed with the client on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ScheduleForm(forms.Form):
    instrument_id = forms.ChoiceField(label="Questionnaire")
    interval_days = forms.IntegerField(label="Every (days)", min_value=1, max_value=365, initial=14)
    first_due_on = forms.DateField(
        label="First send on", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument_id"].choices = _instrument_choices(sendable_only=True)  # type: ignore[attr-defined]
