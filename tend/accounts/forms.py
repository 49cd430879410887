from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from tend.accounts.models import US_STATES, Degree, Organization
from tend.core import vocabulary
from tend.core.permissions import Role

_TIMEZONES = [
    "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
    "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
]  # fmt: skip


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Role.choices, **kwargs)


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Organization.Kind.choices)
    state = forms.ChoiceField(choices=US_STATES)
    timezone = forms.ChoiceField(
        choices=[
            (tz, tz.replace("_", " ")) for tz in _TIMEZONES if tz in zoneinfo.available_timezones()
        ]
    )


class InvitationForm(forms.Form):
    display_name = forms.CharField(label="Name", max_length=150)
    email = forms.EmailField()
    roles = RolesField(help_text="A person may hold several roles.")


class MemberRolesForm(forms.Form):
    roles = RolesField()


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return cleaned


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “nightly export”."
    )
    can_write = forms.BooleanField(
        label="Allow changes (read-write)",
        required=False,
        help_text="Leave unticked for a read-only token.",
    )
    days = forms.IntegerField(label="Expires after (days)", min_value=1, initial=30)


def _split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Name", max_length=150)
    credentials = forms.CharField(
        max_length=60, required=False, help_text="Letters after your name, e.g. LPC, LCSW."
    )
    npi = forms.CharField(
        label="NPI",
        max_length=10,
        required=False,
        help_text="Your 10-digit National Provider Identifier.",
    )
    modalities = forms.MultipleChoiceField(
        choices=vocabulary.choices("modalities"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    populations = forms.MultipleChoiceField(
        choices=vocabulary.choices("populations"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.CharField(
        max_length=300, required=False, help_text="Separate languages with commas."
    )
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=2000, required=False)

    def clean_languages(self) -> list[str]:
        return _split_list(self.cleaned_data["languages"])


class DegreeForm(forms.ModelForm):
    class Meta:
        model = Degree
        fields = ["kind", "field_of_study", "school", "year"]
