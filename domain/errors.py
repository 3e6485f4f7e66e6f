"""Every refusal the domain can give, one class per rule.

Each error carries the rule it enforces (``rule``, e.g. ``"R1"``) and, where the
refusal is about one input, the ``field`` it concerns, so that a form can show the
message next to that field and the API can name it in its problem details.
Messages are written for clerks and judges, not for programmers.
"""

from __future__ import annotations


class DomainError(Exception):
    """The court's rules refuse this action."""

    rule: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
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


class InvalidMoney(InvalidValue):
    """R12: money is KZT with at most two decimal places, never negative."""

    rule = "R12"
