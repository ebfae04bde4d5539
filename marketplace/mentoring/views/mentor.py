"""The mentor's pages: the dashboard of mentees with alerts, a mentee's record, goals, milestones and
check-ins. A mentor reaches only the graduates assigned to them now (anyone else: 404)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.core import policy
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.mentoring import alerts, assignments, check_ins, goals
from marketplace.mentoring.charts import bar_chart
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.forms import CheckInForm, GoalForm, MilestoneForm
from marketplace.mentoring.views.blueprint import bp
from marketplace.mentoring.views.common import LABELS, refuse, render_record, save_from_record


def render_dashboard():
    rows = alerts.mentor_dashboard(signed_in_user())
    return render_template("mentoring/dashboard.html", rows=rows, alerts=[a for row in rows for a in row.alerts],
                           chart=bar_chart([(row.graduate.name, row.this_month.revenue_idr) for row in rows], months=False))


@bp.get("/mentees/<int:graduate_id>")
@allow(Role.MENTOR, Role.STAFF, Role.ADMIN)
def mentee(graduate_id: int):
    return render_record(graduate_id)


@bp.post("/mentees/<int:graduate_id>/goals")
@allow(Role.MENTOR)
def add_goal(graduate_id: int):
    return save_from_record(
        graduate_id, GoalForm(), "goal_form",
        lambda form: goals.add_goal(signed_in_user(), graduate_id, metric=form.metric.data, title=form.title.data,
                                    target=form.target.data, due_on=form.due_on.data),
        _("Goal saved."), "#goals")


@bp.post("/mentees/<int:graduate_id>/milestones")
@allow(Role.MENTOR)
def add_milestone(graduate_id: int):
    form = MilestoneForm()
    if not form.validate_on_submit():
        return render_record(graduate_id, 400, milestone_form=form)
    try:
        goals.record_milestone(signed_in_user(), graduate_id, form.kind.data, form.achieved_on.data)
    except MentoringError as error:
        return refuse(error, url_for("mentoring.mentee", graduate_id=graduate_id) + "#milestones")
    flash(_("Milestone recorded."), "success")
    return redirect(url_for("mentoring.mentee", graduate_id=graduate_id) + "#milestones")


@bp.route("/mentees/<int:graduate_id>/check-ins/new", methods=["GET", "POST"])
@allow(Role.MENTOR)
def new_check_in(graduate_id: int):
    user = signed_in_user()
    try:
        graduate, assignment = assignments.graduate_for(user, graduate_id)
    except MentoringError:
        abort(404)
    if not policy.may_mentor(user, assignment):
        abort(404)
    form = CheckInForm()
    if form.validate_on_submit():
        actions = [check_ins.ActionInput(row.form.description.data or "", row.form.owner.data, row.form.due_on.data)
                   for row in form.actions]
        try:
            check_ins.record_check_in(user, graduate_id, held_on=form.held_on.data, mode=form.mode.data,
                                     notes=form.notes.data, private_notes=form.private_notes.data,
                                     needs_support=form.needs_support.data, actions=actions)
        except MentoringError as error:
            if error.status == 404:
                abort(404)
            form.form_errors.append(error.message)
        else:
            flash(_("Check-in recorded."), "success")
            return redirect(url_for("mentoring.mentee", graduate_id=graduate_id) + "#check-ins")
    status = 400 if form.is_submitted() else 200
    return render_template("mentoring/check_in_form.html", form=form, graduate=graduate, labels=LABELS), status
