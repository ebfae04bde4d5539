"""Why a mentoring action was refused: one error root with its message table (see core/errors.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class MentoringError(DomainError):
    """A rule refused the action; nothing was changed. ``status`` is the HTTP answer if a view lets it
    through (404 for anything that must not reveal that a person exists)."""

    messages = {
        "not_found": _l("Not found."),
        "not_a_graduate": _l("Choose a graduate of your program."),
        "not_a_mentor": _l("Choose a mentor of your program."),
        "already_assigned": _l("This mentor already follows this graduate."),
        "not_assigned": _l("This graduate has no mentor at the moment."),
        "bad_metric": _l("Choose what the goal measures."),
        "bad_target": _l("The target must be a whole number between 1 and 1,000,000,000,000."),
        "bad_due_date": _l("The due date must be between today and five years from now."),
        "bad_date": _l("The date cannot be in the future or more than a year ago."),
        "bad_milestone_date": _l("The date cannot be in the future or before the year 2000."),
        "bad_kind": _l("Choose a kind from the list."),
        "milestone_exists": _l("This milestone is already recorded."),
        "bad_mode": _l("Choose how you met."),
        "empty_check_in": _l("Write what you talked about, or at least one agreed action."),
        "bad_action": _l("Each action needs a description, an owner and a due date within a year."),
        "not_your_action": _l("Only the person who owns this action can mark it done."),
        "already_done": _l("This action is already done."),
        "bad_amount": _l("The amount must be a whole number of rupiah between 0 and 10,000,000,000."),
        "bad_description": _l("Describe the support in at most 300 characters."),
        "bad_period": _l("The period must run from an earlier month to a later one, at most five years."),
        "bad_value": _l("The value must be a whole number between 0 and 1,000,000,000,000."),
        "no_mentor": _l("You can ask for a reference once the program has given you a mentor."),
        "bad_note": _l("Keep the note to your mentor to at most 500 characters."),
        "reference_requested": _l("You have already asked your mentor for a reference; it is on its way."),
        "reference_written": _l("This reference has already been written."),
        "bad_reference": _l("Write the reference in at most 1,500 characters."),
        "not_your_application": _l("Choose one of your open job applications."),
    }


class NotFound(MentoringError):
    """Missing, or someone else's: answered as a 404 either way, so ids cannot be probed."""

    code = "not_found"
    status = 404


def require_whole(value, low: int, high: int, code: str) -> int:
    """``value`` if it is a whole number (not a bool) in low..high; otherwise refused with ``code``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise MentoringError(code)
    return value
