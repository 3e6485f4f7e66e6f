"""Who may take which action: the same table for the web, the API, the CLI and the worker.

Clerks docket and run the calendar, judges decide, administrators keep the
registries and the rulebook, the worker (role ``system``) only acts on deadlines.
Analysts read statistics and take no action on a case.
"""

from __future__ import annotations

from domain.errors import PermissionDenied
from domain.vocabulary import Actor

CLERK, JUDGE, ADMIN, SYSTEM = "clerk", "judge", "admin", "system"

PERMISSIONS: dict[str, frozenset[str]] = {
    "file_case": frozenset({CLERK, ADMIN}),
    "file_document": frozenset({CLERK, JUDGE, ADMIN}),
    "correct_entry": frozenset({CLERK, ADMIN}),
    "assign_judge": frozenset({CLERK, ADMIN}),
    "recuse_judge": frozenset({CLERK, JUDGE, ADMIN}),
    "order_examination": frozenset({CLERK, JUDGE}),
    "submit_expert_report": frozenset({CLERK, JUDGE}),
    "withdraw_examination": frozenset({CLERK, JUDGE}),
    "schedule_hearing": frozenset({CLERK, JUDGE}),
    "reschedule_hearing": frozenset({CLERK, JUDGE}),
    "hold_hearing": frozenset({CLERK, JUDGE}),
    "cancel_hearing": frozenset({CLERK, JUDGE, SYSTEM}),
    "refer_to_mediation": frozenset({CLERK, JUDGE}),
    "conclude_mediation": frozenset({CLERK, JUDGE}),
    "issue_ruling": frozenset({JUDGE}),
    "file_appeal": frozenset({CLERK, ADMIN}),
    "decide_appeal": frozenset({CLERK, ADMIN}),
    "enter_into_force": frozenset({CLERK, ADMIN, SYSTEM}),
    "reopen_case": frozenset({CLERK, ADMIN}),
    "seal_case": frozenset({CLERK, JUDGE, ADMIN}),
    "unseal_case": frozenset({JUDGE, ADMIN}),
    "register_judge": frozenset({ADMIN}),
    "certify_judge": frozenset({ADMIN}),
    "retire_judge": frozenset({ADMIN}),
    "register_expert": frozenset({ADMIN}),
    "declare_affiliation": frozenset({ADMIN}),
    "register_mediator": frozenset({ADMIN}),
    "adopt_rulebook_version": frozenset({ADMIN}),
}


def may(role: str, action: str) -> bool:
    return role in PERMISSIONS[action]


def ensure_permitted(actor: Actor, action: str) -> None:
    if not may(actor["role"], action):
        raise PermissionDenied(
            code="R14.role_not_permitted", role=actor["role"], action=action, allowed_roles=sorted(PERMISSIONS[action])
        )
