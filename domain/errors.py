"""Every refusal the domain can give, one class per rule.

Each error carries the rule it enforces (``rule``, e.g. ``"R1"``) and, where the
refusal is about one input, the ``field`` it concerns, so that a form can show the
message next to that field and the API can name it in its problem details.
Messages are written for clerks and judges, not for programmers.
"""

from __future__ import annotations

from typing import Any

from domain.messages import CATALOG, render, rule_of


class DomainError(Exception):
    """The court's rules refuse this action.

    A rule's refusal is raised with its stable ``code`` (``"R4.fine_over_cap"``) and the
    parameters its message names; ``message_in(language)`` renders it in kk, ru or en from
    ``domain.messages``. Refusals that are not a rule's (a malformed value) carry a plain
    English ``message`` and the code of their class.
    """

    rule: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None, code: str | None = None, **params: Any) -> None:
        if code is not None and code not in CATALOG:
            raise KeyError(f"unknown refusal code {code!r}")
        self.code = code or type(self).__name__
        self.params = params
        if code is not None:
            self.rule = rule_of(code)
        self.message = message if message is not None else render(self.code, params, "en")
        self.field = field
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def message_in(self, language: str) -> str:
        """The refusal in ``language`` (kk, ru, en): a rule's code is translated, other messages stay as given."""
        if self.code in CATALOG:
            return render(self.code, self.params, language)
        return self.message


class InvalidValue(DomainError):
    """A value is malformed or out of range (a date in the future, a bad BIN, ...)."""


class PermissionDenied(DomainError):
    """The acting user's role may not take this action."""


class NotFound(DomainError):
    """The case, registry entry or item referred to does not exist."""


class ConcurrentChange(DomainError):
    """Someone else changed the same record at the same moment, and retrying did not help."""


class TrackHarmMismatch(DomainError):
    """R1: the track and the harm must agree."""

    rule = "R1"


class LiabilityNotForThisRespondent(DomainError):
    """R2: criminal liability, certificate and licence sanctions each fit one kind of respondent."""

    rule = "R2"


class LiabilityWithoutMalpractice(DomainError):
    """R3: liability only follows a finding of malpractice."""

    rule = "R3"


class SanctionNotAllowed(DomainError):
    """R4: the sanction is not one this track imposes, or exceeds the cap in force on the incident date."""

    rule = "R4"


class RulingNotReady(DomainError):
    """R5: a ruling needs a certified, assigned judge, and a merits ruling needs expert evidence."""

    rule = "R5"


class JudgeNotAssignable(InvalidValue):
    """R5: only a certified judge of the case's court who has not recused from it is assigned."""

    rule = "R5"


class ExpertNotIndependent(DomainError):
    """R6: an expert may not be a party or affiliated with a respondent organization."""

    rule = "R6"


class HearingNotSchedulable(DomainError):
    """R7: hearings need a judge, a future start, and a free judge and courtroom."""

    rule = "R7"


class CaseClosed(DomainError):
    """R8: after a final ruling the case accepts only appeals, sealing, corrections and documents."""

    rule = "R8"


class AppealNotAllowed(DomainError):
    """R8: an appeal must be filed within the appeal window, once at a time."""

    rule = "R8"


class CompensationAboveClaim(DomainError):
    """R9: compensation per head never exceeds the amount claimed for that head."""

    rule = "R9"


class MediationNotAllowed(DomainError):
    """R10: mediation in civil cases (reconciliation in criminal ones), one at a time."""

    rule = "R10"


class ActorNotResponsible(PermissionDenied):
    """R14: a clerk acts only in their own court, a judge only on the cases assigned to them."""

    rule = "R14"


class CorrectionInconsistent(InvalidValue):
    """R15: a corrected date stays in order with the case's other dates and in the docket number's year."""

    rule = "R15"


class ExpertSpecialtyMismatch(DomainError):
    """R16: an appointed expert lists the case's specialty (or forensic medicine)."""

    rule = "R16"


class InvalidMoney(InvalidValue):
    """R12: money is KZT with at most two decimal places, never negative."""

    rule = "R12"
