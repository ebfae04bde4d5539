"""What the programs domain refuses, and how each refusal is said (see ``marketplace.core.errors``).

Anything of another program is refused with ``marketplace.core.errors.NotFound``, like a missing one."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class ProgramError(DomainError):
    """A programs rule refused the action; ``code`` names which (``CohortRequired``: ``cohort_required``)."""

    messages = {
        "invalid_role": _l("Only graduates and mentors can be invited."),
        "cohort_required": _l("Choose the graduate's cohort."),
        "invitation_closed": _l("This invitation was accepted or withdrawn, so it cannot be sent again."),
        "name_taken": _l("This program already has a cohort with that name."),
        "graduation_before_start": _l("The graduation date cannot be before the start date."),
        "already_registered": _l("An account with this email address already exists."),
    }


class InvalidRole(ProgramError):
    code = "invalid_role"


class CohortRequired(ProgramError):
    code = "cohort_required"


class InvitationClosed(ProgramError):
    """Accepted or withdrawn: there is nothing to send again."""

    code = "invitation_closed"


class NameTaken(ProgramError):
    code = "name_taken"


class GraduationBeforeStart(ProgramError):
    """A cohort cannot graduate before it started."""

    code = "graduation_before_start"


class AlreadyRegistered(ProgramError):
    """The person to invite or to make staff already has an account."""

    code = "already_registered"
