"""Care coordination: external providers, releases of information, disclosures,
community resources, referrals and collateral contacts."""

from __future__ import annotations

from datetime import date

import pgtrigger
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q

from tend.accounts.models import US_STATES, Organization, User
from tend.clients.models import Client
from tend.core.models import PublicModel
from tend.core.validators import validate_npi

SCAN_MAX_BYTES = 10 * 1024 * 1024
SCAN_EXTENSIONS = ["pdf", "png", "jpg", "jpeg"]


def validate_scan_size(value: object) -> None:
    size = getattr(value, "size", 0) or 0
    if size > SCAN_MAX_BYTES:
        raise ValidationError("The scan is larger than 10 MB; scan at a lower resolution.")


class InformationCategory(models.TextChoices):
    """What a release of information may cover; the order is the order on forms."""

    DEMOGRAPHICS = "demographics", "demographics"
    DIAGNOSES = "diagnoses", "diagnoses"
    TREATMENT_PLAN = "treatment_plan", "treatment plan"
    ASSESSMENTS = "assessments", "assessments"
    MEASURES = "measures", "measures"
    NOTE_SUMMARIES = "note_summaries", "progress-note summaries"
    PROGRESS_NOTES = "progress_notes", "full progress notes"
    SUBSTANCE_USE = "substance_use", "substance-use-disorder treatment records (42 CFR Part 2)"
    HIV_STI = "hiv_sti", "HIV/STI information"
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes", "psychotherapy notes"


def validate_categories(value: object) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one category of information.")
    unknown = [item for item in value if item not in InformationCategory.values]
    if unknown:
        raise ValidationError(f"Unknown categories: {', '.join(map(str, unknown))}.")


class ExternalProvider(PublicModel):
    """Someone outside the organization who takes part in clients' care."""

    class Role(models.TextChoices):
        PSYCHIATRIST = "psychiatrist", "Psychiatrist"
        PRIMARY_CARE = "primary_care", "Primary care physician"
        PSYCHIATRIC_NP = "psychiatric_np", "Psychiatric nurse practitioner"
        SCHOOL_COUNSELOR = "school_counselor", "School counselor"
        CASE_MANAGER = "case_manager", "Case manager"
        ATTORNEY = "attorney", "Attorney"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=24, choices=Role.choices)
    practice = models.CharField("organization or practice", max_length=200, blank=True)
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[validate_npi])
    phone = models.CharField(max_length=32, blank=True)
    fax = models.CharField(max_length=32, blank=True)
    secure_email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class ExternalTeamMember(PublicModel):
    """An external provider on one client's care team."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(ExternalProvider, on_delete=models.PROTECT, related_name="+")
    role_on_case = models.CharField(max_length=150, blank=True)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "provider"],
                condition=Q(ended_on__isnull=True),
                name="external_team_member_once_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} on the care team"


class Consent(PublicModel):
    """A signed release of information. Rows are recorded signed and never change
    (revocation is a separate row); on PostgreSQL a trigger refuses UPDATE and DELETE."""

    class Signer(models.TextChoices):
        CLIENT = "client", "The client"
        GUARDIAN = "guardian", "Guardian or legal representative"

    class RecipientKind(models.TextChoices):
        PROVIDER = "provider", "An external provider"
        ORGANIZATION = "organization", "An organization"
        PERSON = "person", "A person"
        CLIENT = "client", "The client themself"

    class Direction(models.TextChoices):
        DISCLOSE = "disclose", "Disclose to"
        OBTAIN = "obtain", "Obtain from"
        BOTH = "both", "Disclose to and obtain from"

    class SignatureMethod(models.TextChoices):
        TYPED = "typed", "Typed name"
        SCAN = "scan", "Uploaded scan of the signed form"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    signer = models.CharField(max_length=16, choices=Signer.choices, default=Signer.CLIENT)
    signer_name = models.CharField("name of the person who signed", max_length=150)
    recipient_kind = models.CharField(max_length=16, choices=RecipientKind.choices)
    provider = models.ForeignKey(
        ExternalProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(max_length=200, blank=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    categories = models.JSONField(validators=[validate_categories])
    purpose = models.CharField(max_length=300)
    effective_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    expiry_event = models.CharField(max_length=200, blank=True)
    signature_method = models.CharField(max_length=8, choices=SignatureMethod.choices)
    typed_signature = models.CharField(max_length=150, blank=True)
    signed_on = models.DateField()
    signature_scan = models.FileField(
        upload_to="consents/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(SCAN_EXTENSIONS), validate_scan_size],
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-effective_on", "-created_at"]
        indexes = [models.Index(fields=["client", "effective_on"])]
        constraints = [
            # An authorization must name an expiration date or event (45 CFR 164.508(c)(1)(v)).
            models.CheckConstraint(
                condition=Q(expires_on__isnull=False) | ~Q(expiry_event=""),
                name="consent_has_expiry_date_or_event",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("effective_on")),
                name="consent_expires_after_effective",
            ),
            models.CheckConstraint(
                condition=Q(recipient_kind="provider", provider__isnull=False)
                | (~Q(recipient_kind="provider") & Q(provider__isnull=True)),
                name="consent_provider_iff_provider_recipient",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="consent_signed_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Release to {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        if self.recipient_kind == self.RecipientKind.PROVIDER and self.provider is not None:
            return self.provider.name
        if self.recipient_kind == self.RecipientKind.CLIENT:
            return "the client"
        return self.recipient_name

    @property
    def recipient_key(self) -> str:
        return recipient_key(self.recipient_kind, self.provider_id, self.recipient_name)

    @property
    def category_labels(self) -> list[str]:
        return [InformationCategory(value).label for value in self.categories]

    def revocation_or_none(self) -> ConsentRevocation | None:
        try:
            return self.revocation
        except ConsentRevocation.DoesNotExist:
            return None

    def is_active_on(self, day: date) -> bool:
        """In force on `day`: effective, not past its expiry date, not revoked by then.

        A revocation takes effect from the day it is received (45 CFR 164.508(b)(5)); a
        consent is good through its expiry date inclusive. An expiry *event* cannot be
        read by software: the consent stays active until someone records a revocation.
        """
        if day < self.effective_on:
            return False
        if self.expires_on is not None and day > self.expires_on:
            return False
        revocation = self.revocation_or_none()
        return not (revocation is not None and revocation.revoked_on <= day)

    def status_on(self, day: date) -> str:
        revocation = self.revocation_or_none()
        if revocation is not None and revocation.revoked_on <= day:
            return "revoked"
        if self.expires_on is not None and day > self.expires_on:
            return "expired"
        if day < self.effective_on:
            return "not yet effective"
        return "active"


def recipient_key(kind: str, provider_id: int | None, name: str) -> str:
    """One string per recipient, so consents and packets can be matched."""
    if kind == Consent.RecipientKind.PROVIDER:
        return f"provider:{provider_id}"
    if kind == Consent.RecipientKind.CLIENT:
        return "client"
    return f"{kind}:{' '.join(name.lower().split())}"


class ConsentRevocation(PublicModel):
    """The client's revocation of a consent: append-only, one per consent."""

    class ReceivedBy(models.TextChoices):
        IN_WRITING = "in_writing", "In writing"
        IN_PERSON = "in_person", "In person, documented"
        PORTAL = "portal", "Secure message"
        MAIL = "mail", "Mail"
        FAX = "fax", "Fax"

    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="revocation")
    revoked_on = models.DateField()
    received_by = models.CharField("how it was received", max_length=16, choices=ReceivedBy.choices)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        triggers = [
            pgtrigger.Protect(
                name="consent_revocation_is_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Revoked {self.revoked_on:%Y-%m-%d}"


class Disclosure(PublicModel):
    """One release of records: the accounting of disclosures (45 CFR 164.528)."""

    class Delivery(models.TextChoices):
        SECURE_EMAIL = "secure_email", "Secure email"
        FAX = "fax", "Fax"
        MAIL = "mail", "Mail"
        IN_PERSON = "in_person", "In person"
        PORTAL = "portal", "Patient portal"
        FHIR = "fhir", "FHIR exchange"

    class Kind(models.TextChoices):
        PACKET = "packet", "Records packet (with consent)"
        CLIENT_COPY = "client_copy", "Client's own copy (right of access)"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    recipient_kind = models.CharField(max_length=16, choices=Consent.RecipientKind.choices)
    provider = models.ForeignKey(
        ExternalProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_name = models.CharField(max_length=200)
    consents = models.ManyToManyField(Consent, blank=True, related_name="+")
    categories = models.JSONField(validators=[validate_categories])
    records_from = models.DateField(null=True, blank=True)
    records_to = models.DateField(null=True, blank=True)
    purpose = models.CharField(max_length=300)
    delivery = models.CharField(max_length=16, choices=Delivery.choices)
    released_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()
    includes_part2 = models.BooleanField(default=False)
    # What was released, frozen at release: the packet as HTML (the PDF is rendered from
    # this snapshot when downloaded) and the FHIR Bundle as JSON.
    packet_html = models.FileField(upload_to="disclosures/%Y/%m/")
    fhir_bundle = models.FileField(upload_to="disclosures/%Y/%m/")

    class Meta:
        ordering = ["-released_at"]
        indexes = [models.Index(fields=["client", "released_at"])]
        triggers = [
            pgtrigger.Protect(
                name="disclosure_is_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]

    def __str__(self) -> str:
        return f"Disclosure to {self.recipient_name}"

    @property
    def category_labels(self) -> list[str]:
        return [InformationCategory(value).label for value in self.categories]


class ResourceCategory(models.TextChoices):
    CRISIS = "crisis", "Crisis"
    HOUSING = "housing", "Housing"
    FOOD = "food", "Food"
    FINANCIAL = "financial", "Financial"
    LEGAL = "legal", "Legal"
    EMPLOYMENT = "employment", "Employment"
    MEDICAL = "medical", "Medical"
    PSYCHIATRY = "psychiatry", "Psychiatry"
    SUBSTANCE_USE = "substance_use", "Substance use"
    SUPPORT_GROUPS = "support_groups", "Support groups"
    DOMESTIC_VIOLENCE = "domestic_violence", "Domestic violence"
    LGBTQ = "lgbtq", "LGBTQ+"
    YOUTH = "youth", "Youth"
    OLDER_ADULTS = "older_adults", "Older adults"
    VETERANS = "veterans", "Veterans"
    DISABILITY = "disability", "Disability"
    IMMIGRANTS = "immigrants", "Immigrants and refugees"


class CommunityResource(PublicModel):
    """A service in the community clients can be referred to."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    services = models.TextField(max_length=2000)
    eligibility = models.CharField(max_length=500, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    cost = models.CharField(max_length=200, blank=True)
    hours = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    offers_telehealth = models.BooleanField(default=False)
    phone = models.CharField(max_length=40, blank=True)
    text_line = models.CharField(max_length=60, blank=True)
    website = models.URLField(blank=True)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the listing's facts come from."
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class CommunityResourceTag(models.Model):
    """A category a resource is listed under (a row per category, so it can be filtered)."""

    resource = models.ForeignKey(CommunityResource, on_delete=models.CASCADE, related_name="tags")
    category = models.CharField(max_length=24, choices=ResourceCategory.choices)

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "category"], name="resource_tag_once")
        ]

    def __str__(self) -> str:
        return self.get_category_display()


class Referral(PublicModel):
    """A client referred to a community resource or an external provider, tracked to closure."""

    class Kind(models.TextChoices):
        PSYCHIATRY = "psychiatry", "Psychiatry evaluation"
        HIGHER_LEVEL = "higher_level", "Higher level of care"
        SPECIALIZED = "specialized", "Specialized service"
        COMMUNITY = "community", "Community resource"

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        SOON = "soon", "Within a week"
        URGENT = "urgent", "Urgent (within 24 hours)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"
        NO_RESPONSE = "no_response", "No response"
        CLOSED = "closed", "Closed"

    OPEN_STATUSES = ("draft", "sent", "scheduled", "completed", "declined", "no_response")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    resource = models.ForeignKey(
        CommunityResource, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider = models.ForeignKey(
        ExternalProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    reason = models.TextField(max_length=2000)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The release that covers client information sent with the referral.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    follow_up_on = models.DateField("follow up by")
    outcome = models.TextField(max_length=2000, blank=True)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client", "status"]),
            models.Index(fields=["referred_by", "status", "follow_up_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource__isnull=False, provider__isnull=True)
                | Q(resource__isnull=True, provider__isnull=False),
                name="referral_to_resource_xor_provider",
            ),
            # Closing the loop means recording what came of the referral.
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(outcome="") & Q(closed_on__isnull=False)),
                name="referral_closed_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral to {self.target_name}"

    @property
    def target_name(self) -> str:
        target = self.resource or self.provider
        return target.name if target is not None else ""

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CollateralContact(PublicModel):
    """A contact about the client with someone other than the client (a call with the
    psychiatrist, a school meeting), recorded on the chart."""

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        MEETING = "meeting", "Meeting"
        VIDEO = "video", "Video call"
        SECURE_MESSAGE = "secure_message", "Secure message"
        LETTER = "letter", "Letter"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        ExternalProvider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField("with whom", max_length=200)
    method = models.CharField(max_length=16, choices=Method.choices)
    occurred_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField(max_length=4000)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["client", "occurred_on"])]

    def __str__(self) -> str:
        return f"Contact with {self.contact_name} on {self.occurred_on:%Y-%m-%d}"
