from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import renderers
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _html_attributes(attrs: dict[str, Any]) -> SafeString:
    """Attributes as Django's widget attrs.html writes them: in order, True as a bare name,
    False left out."""
    return mark_safe(  # noqa: S308  (each part escaped by format_html)
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickSelect(forms.Select):
    """A select whose options are written in Python: the markup of Django's Select, which
    renders a template include per option (about 0.1 ms each, so a search form with a
    hundred options spent more time on its selects than on its query)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html(
                '<select name="{}"{}>',
                widget["name"],
                _html_attributes(widget["attrs"]),
            )
        ]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _html_attributes(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (each part escaped by format_html)


class FormRenderer(renderers.Jinja2):
    """Django's own form and widget templates rendered by Jinja2, which ships identical
    copies of them and renders them several times faster than the Django template engine
    (a form of a dozen fields took 4 ms more); a widget template only the Django engine
    has (the admin's) is rendered by it."""

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django_templates.get_template(template_name)

    @cached_property
    def _django_templates(self) -> renderers.DjangoTemplates:
        return renderers.DjangoTemplates()
