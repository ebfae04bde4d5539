"""Who may see what of a graduate's mentoring record (issue 9, confidentiality).

- the graduate: everything about themselves except the mentor's private notes;
- the mentor: only while currently assigned (a previous mentor keeps no access after a change);
- the program's staff (and the platform admin): everything, but notes only through
  ``services.notes_for_staff``, which writes each read to the audit log; the needs-support flag is
  shown to them without the notes;
- staff of another program, other mentors and other graduates: nothing (404).
"""
from __future__ import annotations

from marketplace.core.policy import Role, same_program


def is_graduate_self(user, graduate) -> bool:
    return user.is_authenticated and user.role == Role.GRADUATE and user.id == graduate.id


def mentors_now(user, assignment) -> bool:
    """The user is the graduate's mentor today (``assignment`` is the current one, or None)."""
    return (user.is_authenticated and user.role == Role.MENTOR and assignment is not None
            and assignment.ended_at is None and assignment.mentor_id == user.id)


def is_program_staff(user, graduate) -> bool:
    return user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN) and same_program(user, graduate)


def may_view_record(user, graduate, assignment) -> bool:
    """Figures, goals, milestones, check-ins (without notes), actions and support."""
    return is_graduate_self(user, graduate) or mentors_now(user, assignment) or is_program_staff(user, graduate)


def may_read_shared_notes(user, graduate, assignment) -> bool:
    """Check-in notes the graduate may read too (staff reads go through the audit log)."""
    return is_graduate_self(user, graduate) or mentors_now(user, assignment)


def may_read_private_notes(user, assignment) -> bool:
    return mentors_now(user, assignment)


def may_mentor(user, assignment) -> bool:
    """Set goals, record check-ins and milestones: the current mentor only."""
    return mentors_now(user, assignment)
