from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

from tend.assessments.definition import (
    FIELD_SEPARATOR,
    FieldSpec,
    FieldType,
    TemplateDefinition,
    field_name,
    make_key,
)
from tend.assessments.models import Diagnosis


def _form_field(spec: FieldSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.type == FieldType.TEXT:
        return forms.CharField(max_length=spec.max_length, **common)
    if spec.type == FieldType.LONG_TEXT:
        return forms.CharField(
            max_length=spec.max_length, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if spec.type == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *spec.choices()], **common)
    if spec.type == FieldType.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=spec.choices(), widget=forms.CheckboxSelectMultiple, **common
        )
    if spec.type == FieldType.YES_NO:
        return forms.ChoiceField(choices=spec.choices(), widget=forms.RadioSelect, **common)
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class AnswersForm(forms.Form):
    """One field per template field, named "<section>__<field>"; grouped by section."""

    def __init__(self, definition: Mapping[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = TemplateDefinition.model_validate(definition)
        for section in self.template.sections:
            for spec in section.fields:
                self.fields[field_name(section.key, spec.key)] = _form_field(spec)

    @classmethod
    def initial_from(cls, answers: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        return {
            field_name(section, field): value
            for section, values in answers.items()
            for field, value in values.items()
        }

    def sections(self) -> list[dict[str, Any]]:
        return [
            {
                "section": section,
                "fields": [self[field_name(section.key, spec.key)] for spec in section.fields],
            }
            for section in self.template.sections
        ]

    def answers(self) -> dict[str, dict[str, Any]]:
        """The valid answers, grouped by section (fields with errors are left out)."""
        grouped: dict[str, dict[str, Any]] = {}
        for name, value in self.cleaned_data.items():
            section, field = name.split(FIELD_SEPARATOR, 1)
            grouped.setdefault(section, {})[field] = _stored(value)
        return grouped


class AddendumForm(forms.Form):
    reason = forms.CharField(label="Reason for the addendum", max_length=300)
    text = forms.CharField(
        label="Addendum", max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )


class DiagnosisForm(forms.Form):
    code = forms.CharField(
        label="ICD-10-CM code",
        max_length=12,
        error_messages={"required": "Choose an ICD-10-CM code."},
    )
    rank = forms.ChoiceField(choices=Diagnosis.Rank.choices, initial=Diagnosis.Rank.SECONDARY)
    status = forms.ChoiceField(
        choices=Diagnosis.Status.choices, initial=Diagnosis.Status.PROVISIONAL
    )
    onset_date = forms.DateField(
        label="Onset date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    resolution_date = forms.DateField(
        label="Resolution date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


_FIELD_TYPES = {
    "text": FieldType.TEXT,
    "long text": FieldType.LONG_TEXT,
    "choice": FieldType.CHOICE,
    "multi-choice": FieldType.MULTI_CHOICE,
    "yes/no": FieldType.YES_NO,
    "date": FieldType.DATE,
}
_DEFAULT_MAX_LENGTH = {FieldType.TEXT: 200, FieldType.LONG_TEXT: 4000}


class TemplateSectionForm(forms.Form):
    """A new section, its fields written one per line: "Label | type | option, option"."""

    title = forms.CharField(label="Section title", max_length=200)
    description = forms.CharField(
        label="Guidance for the clinician (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fields_text = forms.CharField(
        label="Fields, one per line",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text="Write each field as “Label | type”, with options after a second bar for "
        "choices: “Sleep quality | choice | Good, Fair, Poor”. Types: text, long text, "
        "choice, multi-choice, yes/no, date.",
    )

    def clean_fields_text(self) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = []
        problems: list[str] = []
        keys: set[str] = set()
        lines = [line.strip() for line in self.cleaned_data["fields_text"].splitlines()]
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            parts = [part.strip() for part in line.split("|")]
            label, kind = parts[0], (parts[1].lower() if len(parts) > 1 else "")
            field_type = _FIELD_TYPES.get(kind)
            if not label or field_type is None or len(parts) > 3:
                problems.append(
                    f"Line {number}: write “Label | type”, type one of text, "
                    "long text, choice, multi-choice, yes/no, date."
                )
                continue
            options = [option.strip() for option in parts[2].split(",")] if len(parts) == 3 else []
            options = [option for option in options if option]
            if field_type in {FieldType.CHOICE, FieldType.MULTI_CHOICE} and len(options) < 2:
                problems.append(f"Line {number}: a choice needs at least two options.")
                continue
            if field_type not in {FieldType.CHOICE, FieldType.MULTI_CHOICE} and options:
                problems.append(f"Line {number}: only choices take options.")
                continue
            key = make_key(label, "field")
            if key in keys:
                problems.append(f"Line {number}: two fields have the label “{label}”.")
                continue
            keys.add(key)
            option_values = [make_key(option, "option") for option in options]
            if len(set(option_values)) != len(option_values):
                problems.append(f"Line {number}: two options have the same name.")
                continue
            field: dict[str, Any] = {"key": key, "label": label[:200], "type": field_type.value}
            if field_type in _DEFAULT_MAX_LENGTH:
                field["max_length"] = _DEFAULT_MAX_LENGTH[field_type]
            if options:
                field["options"] = [
                    {"value": value, "label": option[:200]}
                    for value, option in zip(option_values, options, strict=True)
                ]
            fields.append(field)
        if problems:
            raise forms.ValidationError(problems)
        if not fields:
            raise forms.ValidationError("Add at least one field.")
        return fields
