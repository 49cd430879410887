from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from tend.accounts.models import Organization
from tend.clients.models import CareTeamMember, CaseGroup, CaseGroupMember, Client
from tend.clients.selectors import MAX_QUERY_LENGTH, clinicians_of
from tend.clients.services import DEMOGRAPHIC_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ClientForm(forms.ModelForm):
    """Demographics and case assignment; the services enforce the rules again."""

    class Meta:
        model = Client
        fields = [*DEMOGRAPHIC_FIELDS, "primary_clinician"]
        widgets = {"date_of_birth": DateInput()}
        labels = {
            "legal_first_name": "Legal first name",
            "legal_last_name": "Legal last name",
            "interpreter_needed": "Needs an interpreter",
            "sex_assigned_at_birth": "Sex assigned at birth (optional)",
        }
        help_texts = {
            "preferred_name": "The name the client goes by, if different.",
            "pronouns": "For example she/her, he/him, they/them.",
            "guardian_name": "For a minor or a client with a legal representative.",
        }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_clinician"] = ClinicianChoiceField(
            queryset=clinicians_of(organization),
            required=False,
            empty_label="Not assigned yet",
            label="Primary clinician",
        )


class NewClientForm(ClientForm):
    status = forms.ChoiceField(
        choices=[
            (Client.Status.INQUIRY, "Inquiry"),
            (Client.Status.WAITLIST, "Waitlist"),
            (Client.Status.ACTIVE, "Active"),
        ],
        initial=Client.Status.INQUIRY,
    )
    confirm_not_duplicate = forms.BooleanField(
        required=False,
        label="I checked the records above: this is a different person, create the record.",
    )

    class Meta(ClientForm.Meta):
        fields = [*ClientForm.Meta.fields, "status"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Client.Status.choices, label="Status")


class EpisodeOpenForm(forms.Form):
    admission_date = forms.DateField(widget=DateInput(), label="Admission date")
    referral_source = forms.CharField(
        max_length=150,
        required=False,
        label="Referral source",
        help_text="Who referred the client: self, primary care, school, court…",
    )
    presenting_concern = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea, label="Presenting concern"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["admission_date"].initial = timezone.localdate()


class EpisodeDischargeForm(forms.Form):
    discharge_date = forms.DateField(widget=DateInput(), label="Discharge date")
    discharge_reason = forms.CharField(
        max_length=150,
        label="Reason for discharge",
        help_text="For example: goals met, client moved, transferred to a higher level of care.",
    )
    discharge_summary = forms.CharField(
        max_length=8000, required=False, widget=forms.Textarea, label="Discharge summary"
    )


class CareTeamForm(forms.Form):
    user = ClinicianChoiceField(queryset=None, label="Clinician")
    role = forms.ChoiceField(choices=CareTeamMember.Role.choices)
    started_on = forms.DateField(widget=DateInput(), label="Starting on")

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = clinicians_of(organization)  # type: ignore[attr-defined]
        self.fields["started_on"].initial = timezone.localdate()


class NewGroupForm(forms.Form):
    kind = forms.ChoiceField(choices=CaseGroup.Kind.choices, label="Kind of group")
    name = forms.CharField(
        max_length=150, label="Group name", help_text="For example “Rivera family”."
    )
    role = forms.ChoiceField(choices=CaseGroupMember.Role.choices, label="This client's role")


class JoinGroupForm(forms.Form):
    group = forms.ModelChoiceField(queryset=CaseGroup.objects.none(), label="Group")
    role = forms.ChoiceField(choices=CaseGroupMember.Role.choices, label="This client's role")

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].to_field_name = "public_id"  # type: ignore[attr-defined]


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why do you need emergency access?",
        help_text="Recorded and reviewed. For example: covering a crisis call while the "
        "primary clinician is away.",
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        max_length=MAX_QUERY_LENGTH,
        required=False,
        label="Search by name",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *Client.Status.choices], required=False, label="Status"
    )
    after = forms.UUIDField(required=False, widget=forms.HiddenInput)
