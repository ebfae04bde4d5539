"""What the mentoring views share: turning a refusal into a message or a 404, and the record page."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from marketplace.core import policy
from marketplace.core.errors import DomainError
from marketplace.core.policy import signed_in_user
from marketplace.mentoring.charts import bar_chart
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.forms import (
    METRICS,
    MILESTONES,
    MODES,
    OWNERS,
    SUPPORT_KINDS,
    ActionForm,
    AttachReferenceForm,
    GoalForm,
    GoalValueForm,
    MilestoneForm,
    ReferenceRequestForm,
    SupportForm,
)
from marketplace.mentoring.records import record_for, visible_notes

LABELS = {"metrics": dict(METRICS), "milestones": dict(MILESTONES), "modes": dict(MODES), "owners": dict(OWNERS),
          "support": dict(SUPPORT_KINDS)}


def refuse(error: DomainError, back_url: str):
    """A 404 for what must not be revealed, otherwise the reason as a message and back to the page."""
    if error.status == 404:
        abort(404)
    flash(error.message, "error")
    return redirect(back_url)


def form_errors_flash(form) -> None:
    for field_errors in form.errors.values():
        for message in field_errors if isinstance(field_errors, list) else [field_errors]:
            if isinstance(message, str):
                flash(message, "error")
            elif isinstance(message, dict):
                for sub in message.values():
                    flash(" ".join(sub), "error")


def render_record(graduate_id: int, status: int = 200, **forms):
    viewer = signed_in_user()
    try:
        record = record_for(viewer, graduate_id)
    except MentoringError:
        abort(404)
    shared, private = visible_notes(viewer, record)
    charts = {
        "revenue": bar_chart([(m.month, m.revenue_idr) for m in record.months]),
        "orders": bar_chart([(m.month, m.orders) for m in record.months]),
        "jobs": bar_chart([(m.month, j.applications) for m, j in zip(record.months, record.jobs_months, strict=True)]),
    }
    return render_template(
        "mentoring/record.html", record=record, charts=charts, show_notes=shared, show_private=private,
        is_mentor=policy.may_mentor(viewer, record.assignment),
        is_self=policy.is_graduate_self(viewer, record.graduate),
        is_staff=policy.is_program_staff(viewer, record.graduate), labels=LABELS,
        goal_form=forms.get("goal_form") or GoalForm(), milestone_form=forms.get("milestone_form") or MilestoneForm(),
        support_form=forms.get("support_form") or SupportForm(), value_form=GoalValueForm(),
        action_form=ActionForm(), reference_form=ReferenceRequestForm(),
        attach_form=AttachReferenceForm().set_applications(record.applications)), status


def save_from_record(graduate_id: int, form, form_name: str, save, done: str, section: str):
    """A form posted from a graduate's record page (a goal, support): the page again with the form's
    errors (400) when the input or a rule refuses it, else ``done`` as a message and back to ``section``.
    ``save(form)`` calls the one service; a 404 from it stays a 404."""
    if form.validate_on_submit():
        try:
            save(form)
        except MentoringError as error:
            if error.status == 404:
                abort(404)
            form.form_errors.append(error.message)
        else:
            flash(done, "success")
            return redirect(url_for("mentoring.mentee", graduate_id=graduate_id) + section)
    return render_record(graduate_id, 400, **{form_name: form})
