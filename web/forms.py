"""What a form shows: the values as typed, and messages per field.

HTML fields are named with dotted paths (``respondents.0.name``), the same paths
the marshmallow schemas and the domain's errors (``DomainError.field``) use, so a
message lands next to the field it concerns. A message about something that is
not a field of the form goes to the top of the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import request
from flask_babel import gettext as _

from domain.errors import ConcurrentChange, DomainError
from web.api import problems
from web.i18n import VOCABULARY, current_language, label

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


@dataclass
class FormState:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    conflict: list[dict[str, Any]] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_request(cls, defaults: Mapping[str, Any] | None = None) -> FormState:
        """The submitted values (a POST), or ``defaults`` for a fresh form."""
        state = cls(values=dict(defaults or {}))
        if request.method == "POST":
            state.values = {}
            for key in request.form:
                if key == "csrf_token":
                    continue
                items = request.form.getlist(key)
                state.values[key] = items if len(items) > 1 or key.endswith("[]") else items[0]
        return state

    def get(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    def getlist(self, name: str) -> list[str]:
        value = self.values.get(name, [])
        return [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value not in (None, "") else [])

    def has_errors(self) -> bool:
        return bool(self.errors or self.general)

    def add(self, name: str | None, message: str) -> None:
        """A message next to field ``name`` (through ``aliases`` when the form calls it otherwise),
        or at the top of the form when the form has no such field."""
        if name and name not in self.fields:
            name = self.aliases.get(name) or self.aliases.get(name.split(".")[0]) or name
        if name and (not self.fields or name in self.fields):
            self.errors.setdefault(name, []).append(message)
        else:
            self.general.append(message)

    def nested(self) -> dict[str, Any]:
        return unflatten(self.values)

    def add_validation(self, messages: Any, prefix: str = "") -> None:
        """Marshmallow's nested error messages, flattened onto dotted field names."""
        if isinstance(messages, dict):
            for key, inner in messages.items():
                name = f"{prefix}.{key}" if prefix else str(key)
                if key == "_schema":
                    name = prefix
                self.add_validation(inner, name)
        elif isinstance(messages, list):
            for item in messages:
                if isinstance(item, (dict, list)):
                    self.add_validation(item, prefix)
                else:
                    self.add(prefix or None, _(str(item)))
        else:
            self.add(prefix or None, _(str(messages)))

    def stale(self, version: int, changes: list[dict[str, Any]]) -> None:
        """The case changed while the form was being filled in: show it again at the case's ``version``,
        with the ``changes`` (history entries) since the version it was shown at."""
        self.values["expected_version"] = str(version)
        self.conflict = changes
        self.add(None, _("While you were filling in this form, the case changed (listed below). Check your entries and submit again."))

    def add_domain(self, error: DomainError, aliases: Mapping[str, str] | None = None) -> None:
        """A refusal from the domain, next to its field (renamed by ``aliases``) when the form has it."""
        if aliases:
            self.aliases.update(aliases)
        self.add(error.field, domain_message(error))


def domain_message(error: DomainError) -> str:
    """The refusal in the reader's language: a rule's refusal from the domain's catalog (kk, ru, en)."""
    if isinstance(error, ConcurrentChange):
        return str(_("Someone else changed this case at the same moment. Reload the case and try again."))
    message = error.message_in(current_language())
    if error.rule and type(error).__name__ in VOCABULARY["refusal"]:
        return f"{label('refusal', type(error).__name__)}: {message}"
    return message


def status_for(error: DomainError) -> int:
    """The page's or form's status for a refusal: the API's table (``web.api.problems.status_for``)."""
    return problems.status_for(error)


def unflatten(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.0.b": 1}`` -> ``{"a": [{"b": 1}]}``; numeric path parts make lists (gaps dropped)."""
    root: dict[str, Any] = {}
    for key, value in values.items():
        parts = key.removesuffix("[]").split(".")
        node: dict[str, Any] = root
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                # "a=x" beside "a.b=y" (only a forged form sends both): the group wins, the plain value goes.
                child = node[part] = {}
            node = child
        if not isinstance(node.get(parts[-1]), dict):
            node[parts[-1]] = value
    nested: dict[str, Any] = _lists(root)
    return nested


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _lists(v) for k, v in node.items()}
    if converted and all(k.isdigit() for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted


def blank(value: Any) -> bool:
    if isinstance(value, dict):
        return all(blank(v) for v in value.values())
    if isinstance(value, list):
        return all(blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def with_fields(state: FormState, names: Iterable[str]) -> FormState:
    state.fields = set(names)
    return state
