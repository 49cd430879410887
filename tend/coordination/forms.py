from __future__ import annotations

from typing import Any, cast

from django import forms

from tend.accounts.models import US_STATES
from tend.coordination.models import (
    SCAN_EXTENSIONS,
    CollateralContact,
    CommunityResource,
    Consent,
    ConsentRevocation,
    Disclosure,
    ExternalProvider,
    InformationCategory,
    Referral,
    ResourceCategory,
    validate_scan_size,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ProviderForm(forms.ModelForm):
    class Meta:
        model = ExternalProvider
        fields = ["name", "role", "practice", "npi", "phone", "fax", "secure_email", "address"]
        help_texts = {"npi": "10 digits; Tend checks the NPI check digit."}


class TeamMemberForm(forms.Form):
    provider = forms.ChoiceField(label="External provider")
    role_on_case = forms.CharField(
        label="Role on this case",
        max_length=150,
        required=False,
        help_text="e.g. medication management",
    )
    started_on = forms.DateField(label="On the team since", widget=DATE)

    def __init__(self, *args: Any, providers: list[ExternalProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(provider.public_id): provider for provider in providers}
        _choice_field(self, "provider").choices = [("", "Choose…")] + [
            (key, f"{provider.name} ({provider.get_role_display()})")
            for key, provider in self.providers.items()
        ]

    def clean_provider(self) -> ExternalProvider:
        return self.providers[self.cleaned_data["provider"]]


class ConsentForm(forms.Form):
    signer = forms.ChoiceField(label="Signed by", choices=Consent.Signer.choices)
    signer_name = forms.CharField(label="Name of the person who signed", max_length=150)
    recipient_kind = forms.ChoiceField(
        label="Recipient", choices=Consent.RecipientKind.choices, widget=forms.RadioSelect
    )
    provider = forms.ChoiceField(
        label="External provider", required=False, help_text="When the recipient is a provider."
    )
    recipient_name = forms.CharField(
        label="Recipient's name",
        max_length=200,
        required=False,
        help_text="When the recipient is an organization or a person.",
    )
    direction = forms.ChoiceField(choices=Consent.Direction.choices)
    categories = forms.MultipleChoiceField(
        label="Information covered",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Psychotherapy notes need a separate consent covering nothing else.",
    )
    purpose = forms.CharField(max_length=300, help_text="e.g. coordination of medication care")
    effective_on = forms.DateField(label="Effective from", widget=DATE)
    expires_on = forms.DateField(label="Expires on", widget=DATE, required=False)
    expiry_event = forms.CharField(
        label="Or expires at this event",
        max_length=200,
        required=False,
        help_text="e.g. end of treatment",
    )
    signature_method = forms.ChoiceField(
        label="Signature", choices=Consent.SignatureMethod.choices, widget=forms.RadioSelect
    )
    typed_signature = forms.CharField(label="Typed signature", max_length=150, required=False)
    signed_on = forms.DateField(label="Signed on", widget=DATE)
    signature_scan = forms.FileField(
        label="Scan of the signed form",
        required=False,
        help_text="PDF, PNG or JPEG, at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, providers: list[ExternalProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(provider.public_id): provider for provider in providers}
        _choice_field(self, "provider").choices = [("", "—")] + [
            (key, f"{provider.name} ({provider.get_role_display()})")
            for key, provider in self.providers.items()
        ]

    def clean_provider(self) -> ExternalProvider | None:
        key = self.cleaned_data.get("provider")
        return self.providers.get(key) if key else None

    def clean_signature_scan(self) -> Any:
        scan = self.cleaned_data.get("signature_scan")
        if scan:
            extension = scan.name.rsplit(".", 1)[-1].lower() if "." in scan.name else ""
            if extension not in SCAN_EXTENSIONS:
                raise forms.ValidationError("Upload a PDF, PNG or JPEG file.")
            validate_scan_size(scan)
        return scan


class RevocationForm(forms.Form):
    revoked_on = forms.DateField(label="Revocation received on", widget=DATE)
    received_by = forms.ChoiceField(
        label="How it was received", choices=ConsentRevocation.ReceivedBy.choices
    )


class PacketForm(forms.Form):
    recipient = forms.ChoiceField()
    categories = forms.MultipleChoiceField(
        label="Information to send",
        choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Tend keeps no separate HIV/STI records: what is written about HIV or STIs in a "
            "note, an assessment or a diagnosis goes with that category."
        ),
    )
    records_from = forms.DateField(label="Records from", widget=DATE, required=False)
    records_to = forms.DateField(label="Records to", widget=DATE, required=False)
    purpose = forms.CharField(max_length=300)
    delivery = forms.ChoiceField(label="Delivered by", choices=Disclosure.Delivery.choices)

    def __init__(self, *args: Any, recipients: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "recipient").choices = [("", "Choose…"), *recipients]


class ClientCopyForm(forms.Form):
    delivery = forms.ChoiceField(label="Delivered by", choices=Disclosure.Delivery.choices)


class ResourceFilterForm(forms.Form):
    q = forms.CharField(label="Search", max_length=100, required=False)
    category = forms.ChoiceField(
        choices=[("", "All categories"), *ResourceCategory.choices], required=False
    )
    telehealth = forms.BooleanField(label="Telehealth available", required=False)


class ResourceForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        choices=ResourceCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    state = forms.ChoiceField(choices=[("", "—"), *US_STATES], required=False)

    class Meta:
        model = CommunityResource
        fields = [
            "name",
            "categories",
            "services",
            "eligibility",
            "languages",
            "cost",
            "hours",
            "address",
            "city",
            "state",
            "offers_telehealth",
            "phone",
            "text_line",
            "website",
            "source",
        ]
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}


class ReferralForm(forms.Form):
    target = forms.ChoiceField(label="Refer to")
    kind = forms.ChoiceField(label="Type of referral", choices=Referral.Kind.choices)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    urgency = forms.ChoiceField(choices=Referral.Urgency.choices)
    consent = forms.ChoiceField(
        label="Consent for the information sent",
        required=False,
        help_text="Needed when client information goes with the referral.",
    )
    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Referral.Status.choices if value != "closed"]
    )
    follow_up_on = forms.DateField(label="Follow up by", widget=DATE)

    def __init__(
        self,
        *args: Any,
        targets: dict[str, Any],
        target_choices: list[tuple[str, list[tuple[str, str]]]],
        consents: dict[str, Consent],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        self.consents = consents
        _choice_field(self, "target").choices = [("", "Choose…"), *target_choices]
        _choice_field(self, "consent").choices = [("", "None")] + [
            (key, f"{consent.recipient_label}: {', '.join(consent.category_labels)}")
            for key, consent in consents.items()
        ]

    def clean_consent(self) -> Consent | None:
        key = self.cleaned_data.get("consent")
        return self.consents.get(key) if key else None


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(choices=Referral.Status.choices)
    follow_up_on = forms.DateField(label="Follow up by", widget=DATE)
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="What came of the referral; required to close it.",
    )


class ContactForm(forms.Form):
    provider = forms.ChoiceField(label="External provider", required=False)
    contact_name = forms.CharField(
        label="With whom", max_length=200, required=False, help_text="If not a listed provider."
    )
    method = forms.ChoiceField(choices=CollateralContact.Method.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE)
    minutes = forms.IntegerField(min_value=1, max_value=600, required=False)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args: Any, providers: list[ExternalProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.providers = {str(provider.public_id): provider for provider in providers}
        _choice_field(self, "provider").choices = [("", "—")] + [
            (key, provider.name) for key, provider in self.providers.items()
        ]

    def clean_provider(self) -> ExternalProvider | None:
        key = self.cleaned_data.get("provider")
        return self.providers.get(key) if key else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("provider") and not cleaned.get("contact_name", "").strip():
            self.add_error("contact_name", "Choose a provider or say with whom.")
        return cleaned
