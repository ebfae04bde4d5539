"""Why a job-board action was refused: one error root with its message table (see core/errors.py)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from marketplace.core.errors import DomainError


class JobsError(DomainError):
    """A job-board rule refused the action; nothing was changed. ``code`` names the message."""

    code = "jobs_error"
    messages = {
        "jobs_error": _l("That did not work. Please check what you entered."),
        "not_found": _l("Not found."),
        "invalid": _l("That did not work. Please check what you entered."),
        "cv_rejected": _l("Attach your CV as a PDF file."),
        "nib": _l("Enter the NIB: 13 digits."),
        "nib_taken": _l("A firm with this NIB is already registered."),
        "pledge": _l("Accept the fair-chance hiring pledge to register your firm."),
        "phone": _l("Enter an Indonesian phone number, e.g. 0812 3456 7890."),
        "employment_type": _l("Choose an employment type."),
        "salary": _l("Enter a salary between Rp 0 and Rp 1.000.000.000."),
        "salary_range": _l("The highest salary cannot be lower than the lowest."),
        "openings": _l("Enter between 1 and 500 openings."),
        "closes_on": _l("Choose a closing date from today up to one year ahead."),
        "city": _l("Give a city, or mark the vacancy as remote."),
        "status": _l("That is not a vacancy status."),
        "firm_suspended": _l("Your firm is suspended by the program staff and cannot post vacancies."),
        "firm_not_approved": _l("Your firm can publish vacancies once the program staff approve it."),
        "vacancy_suspended": _l("This vacancy is suspended by the program staff."),
        "reason": _l("Give a reason: the firm will see it."),
        "training_dates": _l("The training cannot finish before it started."),
        "training_kind": _l("Choose the kind of training."),
        "training_title": _l("Give the training's name."),
        "training_period": _l("Give dates from the year 2000 up to one year ahead."),
        "training_for": _l("Choose one cohort or one graduate."),
        "training_nobody": _l("This cohort has no graduates yet."),
        "already_applied": _l("You have already applied for this vacancy."),
        "preview_expired": _l("The preview has expired. Please attach your CV again."),
        "cv_empty": _l("Attach your CV as a PDF file."),
        "cv_too_large": _l("That file is too large."),
        "cv_not_pdf": _l("That file is not a PDF. Save your CV as PDF and try again."),
        "final_stage": _l("This application is already closed."),
        "stage": _l("Choose a stage."),
        "interview": _l("Give the interview's date, time and place."),
        "interview_time": _l("The interview must be in the coming year, not in the past."),
        "start_on": _l("Give the first working day (at most 90 days ago, at most a year ahead)."),
        "note": _l("Write a note first."),
        "link_expired": _l("This link has expired. Please ask for a new one."),
        "link_invalid": _l("This link is not valid. Please check that you copied the whole link, or ask for a new one."),
        "reference_empty": _l("The reference is empty."),
    }


class NotFound(JobsError):
    """Missing, or someone else's: the view answers 404 either way."""

    code = "not_found"
    status = 404


class InvalidInput(JobsError):
    code = "invalid"


class CVRejected(JobsError):
    code = "cv_rejected"
