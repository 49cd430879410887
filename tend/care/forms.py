from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from tend.accounts.models import User
from tend.care.models import (
    Appointment,
    CareSettings,
    NoteObjective,
    ProgressNote,
    Room,
    TherapyGroup,
)
from tend.care.note_templates import NoteField, note_formats, note_modalities
from tend.care.notes import MemberEntry, ObjectiveEntry
from tend.care.scheduling import to_local, to_utc
from tend.clients.models import CaseGroup, Client
from tend.plans.models import Objective

REPEAT_CHOICES = [
    ("", "Does not repeat"),
    ("FREQ=WEEKLY", "Every week"),
    ("FREQ=WEEKLY;INTERVAL=2", "Every other week"),
    ("FREQ=MONTHLY", "Every month"),
    ("custom", "Custom rule (RFC 5545)"),
]


class _PublicChoice(forms.ModelChoiceField):
    """Choices addressed by public id, so integer keys never reach the page."""

    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="public_id", **kwargs)


class _PublicMultipleChoice(forms.ModelMultipleChoiceField):
    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(queryset, to_field_name="public_id", **kwargs)


class _WhenFields(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=5, initial=50)
    location = forms.ChoiceField(choices=Appointment.Location.choices)
    video_link = forms.URLField(label="Video link", required=False, assume_scheme="https")
    room = _PublicChoice(Room.objects.none(), required=False)
    allow_conflicts = forms.BooleanField(
        label="Book anyway if the clinician or the room is busy", required=False
    )

    def start_local(self) -> datetime:
        return datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])


class BookingForm(_WhenFields):
    clinician = _PublicChoice(User.objects.none())
    kind = forms.ChoiceField(label="Type", choices=Appointment.Kind.choices)
    clients = _PublicMultipleChoice(
        Client.objects.none(),
        required=False,
        help_text="For intake, individual, crisis and collateral appointments.",
    )
    case_group = _PublicChoice(
        CaseGroup.objects.none(),
        label="Couple or family",
        required=False,
        help_text="For couples and family sessions.",
    )
    therapy_group = _PublicChoice(
        TherapyGroup.objects.none(), label="Therapy group", required=False
    )
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES, required=False)
    occurrences = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=200, initial=12, required=False
    )
    rule = forms.CharField(
        label="Custom rule",
        required=False,
        max_length=300,
        help_text="For example FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20",
    )

    field_order = [
        "clinician",
        "kind",
        "clients",
        "case_group",
        "therapy_group",
        "date",
        "start_time",
        "duration_minutes",
        "location",
        "video_link",
        "room",
        "repeat",
        "occurrences",
        "rule",
        "allow_conflicts",
    ]

    def __init__(
        self,
        *args: Any,
        clinicians: list[User],
        clients: QuerySet[Client],
        case_groups: QuerySet[CaseGroup],
        therapy_groups: QuerySet[TherapyGroup],
        rooms: QuerySet[Room],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        clinician_field: Any = self.fields["clinician"]
        clinician_field.queryset = User.objects.filter(pk__in=[user.pk for user in clinicians])
        if len(clinicians) == 1:
            self.fields["clinician"].initial = clinicians[0].public_id
        client_field: Any = self.fields["clients"]
        client_field.queryset = clients
        case_group_field: Any = self.fields["case_group"]
        case_group_field.queryset = case_groups
        therapy_group_field: Any = self.fields["therapy_group"]
        therapy_group_field.queryset = therapy_groups
        room_field: Any = self.fields["room"]
        room_field.queryset = rooms

    def rrule(self) -> str:
        repeat = self.cleaned_data.get("repeat") or ""
        if repeat == "custom":
            return str(self.cleaned_data.get("rule") or "")
        if not repeat:
            return ""
        return f"{repeat};COUNT={self.cleaned_data.get('occurrences') or 12}"


class RescheduleForm(_WhenFields):
    scope = forms.ChoiceField(
        label="Change",
        choices=[("this", "This appointment only"), ("following", "This and following")],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, rooms: QuerySet[Room], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_field: Any = self.fields["room"]
        room_field.queryset = rooms


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Appointment.Status.choices)
    reason = forms.CharField(label="Reason (for a cancellation)", required=False, max_length=200)


class CareSettingsForm(forms.Form):
    late_entry_hours = forms.IntegerField(
        label="Late-entry limit (hours)",
        min_value=1,
        max_value=CareSettings.MAX_LATE_ENTRY_HOURS,
        help_text="A note signed later than this after the session is marked a late entry; "
        "co-signatures waiting longer are overdue.",
    )
    calendar_feed_initials = forms.BooleanField(
        label="Show client initials in clinicians' calendar feeds", required=False
    )


class RoomForm(forms.Form):
    name = forms.CharField(max_length=100)


class TherapyGroupForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="For example “DBT skills, Tuesdays”.")
    facilitator = _PublicChoice(User.objects.none())
    members = _PublicMultipleChoice(
        Client.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You can add members later too.",
    )
    joined_on = forms.DateField(
        label="Members join on", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, clinicians: list[User], clients: QuerySet[Client], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        facilitator_field: Any = self.fields["facilitator"]
        facilitator_field.queryset = User.objects.filter(pk__in=[user.pk for user in clinicians])
        if len(clinicians) == 1:
            facilitator_field.initial = clinicians[0].public_id
        member_field: Any = self.fields["members"]
        member_field.queryset = clients


class GroupMemberAddForm(forms.Form):
    client = _PublicChoice(Client.objects.none(), label="Client")
    joined_on = forms.DateField(label="Joins on", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client_field: Any = self.fields["client"]
        client_field.queryset = clients


class GroupMemberLeaveForm(forms.Form):
    client = _PublicChoice(Client.objects.none(), label="Member")
    left_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client_field: Any = self.fields["client"]
        client_field.queryset = clients


def _note_field(field: NoteField, initial: Any) -> forms.Field:
    if field.type == "multi_choice":
        return forms.MultipleChoiceField(
            label=field.label,
            choices=list(field.options),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=field.help,
            initial=initial or [],
        )
    if field.type == "number":
        return forms.IntegerField(
            label=field.label,
            required=False,
            min_value=field.minimum,
            max_value=field.maximum,
            help_text=field.help,
            initial=initial,
        )
    widget = forms.Textarea(attrs={"rows": 4}) if field.type == "long_text" else forms.TextInput
    return forms.CharField(
        label=field.label,
        required=False,
        max_length=field.max_length,
        widget=widget,
        help_text=field.help,
        initial=initial or "",
    )


class NoteForm(forms.Form):
    """A progress note: the chosen format's and modality's fields from the data files,
    the session facts, the plan objectives addressed and, for groups, a part per member."""

    note_format = forms.ChoiceField(label="Format")
    modality = forms.ChoiceField()
    actual_start_time = forms.TimeField(
        label="Actual start", widget=forms.TimeInput(attrs={"type": "time"})
    )
    actual_end_time = forms.TimeField(
        label="Actual end", widget=forms.TimeInput(attrs={"type": "time"})
    )
    others_present = forms.CharField(label="Others present", required=False, max_length=300)
    interventions = forms.CharField(
        label="Interventions used", required=False, max_length=4000, widget=forms.Textarea
    )
    risk_update = forms.ChoiceField(
        label="Risk since the last session",
        required=False,
        choices=[("", "Not recorded yet"), *ProgressNote.RiskUpdate.choices],
    )
    risk_details = forms.CharField(
        label="What changed in risk", required=False, max_length=4000, widget=forms.Textarea
    )
    measures_given = forms.CharField(
        label="Measures given today",
        required=False,
        max_length=2000,
        help_text="For example PHQ-9 and GAD-7, or a link to the scored measure.",
    )
    cpt_code = forms.CharField(
        label="CPT code billed",
        required=False,
        max_length=5,
        help_text="Leave empty to bill the suggested code.",
    )
    cpt_override_reason = forms.CharField(
        label="Reason for a different code", required=False, max_length=300
    )

    def __init__(
        self,
        *args: Any,
        note: ProgressNote,
        objectives: list[Objective],
        members: list[Client],
        **kwargs: Any,
    ) -> None:
        self.note = note
        self.session_objectives = objectives
        self.members = members
        zone = note.organization.timezone
        self.session_day = to_local(note.appointment.starts_at, zone).date()
        addressed = {entry.objective_id: entry for entry in note.objectives.all()}
        sections = {section.client_id: section for section in note.member_sections.all()}
        initial = {
            "note_format": note.note_format,
            "modality": note.modality,
            "actual_start_time": to_local(note.actual_start, zone).time()
            if note.actual_start
            else None,
            "actual_end_time": to_local(note.actual_end, zone).time() if note.actual_end else None,
            "others_present": note.others_present,
            "interventions": note.interventions,
            "risk_update": note.risk_update,
            "risk_details": note.risk_details,
            "measures_given": note.measures_given,
            "cpt_code": note.cpt_code,
            "cpt_override_reason": note.cpt_override_reason,
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        formats, modalities = note_formats(), note_modalities()
        format_field: Any = self.fields["note_format"]
        format_field.choices = [(key, section.title) for key, section in formats.items()]
        modality_field: Any = self.fields["modality"]
        modality_field.choices = [(key, section.title) for key, section in modalities.items()]
        self.chosen_format = chosen_format = self._chosen("note_format", note.note_format, formats)
        self.chosen_modality = chosen_modality = self._chosen("modality", note.modality, modalities)
        self.format_keys: list[str] = []
        self.modality_keys: list[str] = []
        for part, section, keys in (
            ("format", formats[chosen_format], self.format_keys),
            ("modality", modalities[chosen_modality], self.modality_keys),
        ):
            for field in section.fields:
                name = f"{part}_{field.key}"
                self.fields[name] = _note_field(field, note.content.get(part, {}).get(field.key))
                keys.append(name)
        self.objective_keys: list[tuple[str, str]] = []
        for objective in objectives:
            entry = addressed.get(objective.pk)
            name = f"objective_{objective.public_id}"
            self.fields[name] = forms.ChoiceField(
                label=objective.description,
                required=False,
                choices=[("", "Not addressed"), *NoteObjective.Progress.choices],
                initial=entry.progress if entry else "",
            )
            self.fields[f"{name}_value"] = forms.DecimalField(
                label=f"Today's value ({objective.get_metric_kind_display()})",
                required=False,
                max_digits=6,
                decimal_places=1,
                initial=entry.value if entry else None,
            )
            self.objective_keys.append((name, f"{name}_value"))
        self.member_keys: list[tuple[str, str]] = []
        for client in members:
            member_section = sections.get(client.pk)
            name = f"member_{client.public_id}"
            self.fields[f"{name}_participation"] = forms.CharField(
                label=f"{client.display_name}: participation",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=member_section.participation if member_section else "",
            )
            self.fields[f"{name}_progress"] = forms.CharField(
                label=f"{client.display_name}: progress",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=member_section.progress if member_section else "",
            )
            self.member_keys.append((f"{name}_participation", f"{name}_progress"))

    def _chosen(self, name: str, current: str, known: dict[str, Any]) -> str:
        posted = self.data.get(name) if self.is_bound else None
        return posted if posted in known else current

    def bound(self, names: list[str]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def format_fields(self) -> list[forms.BoundField]:
        return self.bound(self.format_keys)

    def modality_fields(self) -> list[forms.BoundField]:
        return self.bound(self.modality_keys)

    def objective_fields(self) -> list[list[forms.BoundField]]:
        return [[self[progress], self[value]] for progress, value in self.objective_keys]

    def member_fields(self) -> list[list[forms.BoundField]]:
        return [[self[part], self[progress]] for part, progress in self.member_keys]

    def bound_layout(self) -> list[forms.BoundField]:
        return self.bound(["note_format", "modality"])

    def bound_session(self) -> list[forms.BoundField]:
        return self.bound(
            ["actual_start_time", "actual_end_time", "others_present", "interventions"]
        )

    def bound_closing(self) -> list[forms.BoundField]:
        return self.bound(
            ["risk_update", "risk_details", "measures_given", "cpt_code", "cpt_override_reason"]
        )

    def format_title(self) -> str:
        return note_formats()[self.chosen_format].title

    def modality_title(self) -> str:
        return note_modalities()[self.chosen_modality].title

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for progress_name, value_name in self.objective_keys:
            if cleaned.get(value_name) is not None and not cleaned.get(progress_name):
                self.add_error(progress_name, "Say how this objective went, or clear the value.")
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments of notes.note_save_draft."""
        data = self.cleaned_data
        zone = self.note.organization.timezone
        content: dict[str, dict[str, Any]] = {"format": {}, "modality": {}}
        for name in self.format_keys:
            content["format"][name.removeprefix("format_")] = data.get(name)
        for name in self.modality_keys:
            content["modality"][name.removeprefix("modality_")] = data.get(name)
        objectives = []
        for objective, (progress_name, value_name) in zip(
            self.session_objectives, self.objective_keys, strict=True
        ):
            if data.get(progress_name):
                objectives.append(
                    ObjectiveEntry(objective, data[progress_name], data.get(value_name))
                )
        members = [
            MemberEntry(client, data.get(part) or "", data.get(progress) or "")
            for client, (part, progress) in zip(self.members, self.member_keys, strict=True)
        ]
        start = data.get("actual_start_time")
        end = data.get("actual_end_time")
        return {
            "note_format": data["note_format"],
            "modality": data["modality"],
            "content": content,
            "actual_start": to_utc(datetime.combine(self.session_day, start), zone)
            if start
            else None,
            "actual_end": to_utc(datetime.combine(self.session_day, end), zone) if end else None,
            "others_present": data.get("others_present") or "",
            "interventions": data.get("interventions") or "",
            "risk_update": data.get("risk_update") or "",
            "risk_details": data.get("risk_details") or "",
            "measures_given": data.get("measures_given") or "",
            "cpt_code": data.get("cpt_code") or "",
            "cpt_override_reason": data.get("cpt_override_reason") or "",
            "objectives": objectives,
            "members": members if self.members else None,
        }


class AddendumForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="Why the record needs this addition.")
    body = forms.CharField(label="Addendum", max_length=8000, widget=forms.Textarea)


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="Comments for the associate", max_length=4000, widget=forms.Textarea
    )


class PsychotherapyNoteForm(forms.Form):
    body = forms.CharField(label="Process note", max_length=20000, widget=forms.Textarea)


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        label="Reason for release",
        max_length=300,
        help_text="For example the client's signed authorization for this specific note.",
    )
