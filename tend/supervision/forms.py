from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from tend.accounts.models import User
from tend.clients.models import Client
from tend.licensure import requirements
from tend.licensure.models import DOCUMENT_EXTENSIONS, LicenseFamily
from tend.supervision.models import SupervisionRelationship, SupervisionSession

_DATE = forms.DateInput(attrs={"type": "date"})


def path_state_choices() -> list[tuple[str, str]]:
    """States the requirement data has rows for (a path elsewhere cannot be measured)."""
    return [("", "Not chosen yet"), *((state, state) for state in requirements.states())]


class RelationshipForm(forms.Form):
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        to_field_name="public_id",
        required=False,
        help_text="Leave empty for a supervisor outside the organization.",
    )
    external_supervisor_name = forms.CharField(
        label="External supervisor's name", max_length=150, required=False
    )
    external_supervisor_license = forms.CharField(
        label="External supervisor's licence",
        max_length=120,
        required=False,
        help_text="Title, state and number, e.g. LPC-S TX 12345.",
    )
    supervisee = forms.ModelChoiceField(queryset=User.objects.none(), to_field_name="public_id")
    format = forms.ChoiceField(choices=SupervisionRelationship.Format.choices)
    path_state = forms.ChoiceField(label="Licence state", required=False)
    path_family = forms.ChoiceField(
        label="Licence family",
        required=False,
        choices=[("", "Not chosen yet"), *LicenseFamily.choices],
    )
    started_on = forms.DateField(label="Starts on", widget=_DATE)

    def __init__(
        self, *args: Any, supervisors: QuerySet[User], supervisees: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]
        self.fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]
        self.fields["path_state"].choices = path_state_choices()  # type: ignore[attr-defined]


class RelationshipEndForm(forms.Form):
    ended_on = forms.DateField(label="Ends on", widget=_DATE)


class ContractForm(forms.Form):
    contract = forms.FileField(
        label="Supervision contract",
        help_text=f"{', '.join(DOCUMENT_EXTENSIONS).upper()}, at most 10 MB.",
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=_DATE)
    minutes = forms.IntegerField(label="Length in minutes", min_value=5, max_value=480)
    format = forms.ChoiceField(choices=SupervisionSession.Format.choices)
    member_count = forms.IntegerField(
        label="Supervisees present", min_value=1, max_value=60, initial=1
    )
    delivery = forms.ChoiceField(choices=SupervisionSession.Delivery.choices)
    topics = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    goals = forms.CharField(
        label="Goals", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    cases = forms.ModelMultipleChoiceField(
        label="Cases discussed",
        queryset=Client.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    planned = forms.ModelChoiceField(
        label="Records the planned session of",
        queryset=SupervisionSession.objects.none(),
        to_field_name="public_id",
        required=False,
        empty_label="None — an unplanned session",
    )

    def __init__(
        self,
        *args: Any,
        cases: QuerySet[Client],
        planned: QuerySet[SupervisionSession],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.fields["planned"].queryset = planned  # type: ignore[attr-defined]
        self.fields["planned"].label_from_instance = (  # type: ignore[attr-defined]
            lambda session: f"{session.held_on:%b %-d, %Y}, {session.minutes} min"
        )


class PlanForm(forms.Form):
    relationship = forms.ModelChoiceField(
        label="Supervision with",
        queryset=SupervisionRelationship.objects.none(),
        to_field_name="public_id",
    )
    held_on = forms.DateField(label="Date", widget=_DATE)
    start_time = forms.TimeField(
        label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label="Planned minutes", min_value=5, max_value=480)
    format = forms.ChoiceField(choices=SupervisionSession.Format.choices)
    delivery = forms.ChoiceField(choices=SupervisionSession.Delivery.choices)

    def __init__(
        self,
        *args: Any,
        relationships: QuerySet[SupervisionRelationship],
        user: User,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["relationship"].queryset = relationships  # type: ignore[attr-defined]
        self.fields["relationship"].label_from_instance = (  # type: ignore[attr-defined]
            lambda relationship: str(
                relationship.supervisee
                if relationship.supervisor_id == user.pk
                else relationship.supervisor_name
            )
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=500)
