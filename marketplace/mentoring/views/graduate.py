"""The graduate's own progress, and the buttons graduates and mentors share (actions, hand-kept goals)."""
from __future__ import annotations

from flask import redirect, request, url_for

from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.mentoring import check_ins, goals
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.forms import ActionForm, GoalValueForm
from marketplace.mentoring.views.blueprint import bp
from marketplace.mentoring.views.common import form_errors_flash, refuse, render_record
from marketplace.mentoring.views.mentor import render_dashboard


@bp.get("/")
@allow(Role.MENTOR, Role.GRADUATE, Role.STAFF, Role.ADMIN)
def home():
    user = signed_in_user()
    if user.role == Role.GRADUATE:
        return redirect(url_for("mentoring.my_progress"))
    if user.role in (Role.STAFF, Role.ADMIN):
        return redirect(url_for("mentoring.staff_home"))
    return render_dashboard()


@bp.get("/me")
@allow(Role.GRADUATE)
def my_progress():
    return render_record(signed_in_user().id)


def _back(graduate_id: int) -> str:
    if signed_in_user().role == Role.GRADUATE:
        return url_for("mentoring.my_progress")
    return url_for("mentoring.mentee", graduate_id=graduate_id)


@bp.post("/actions/<int:action_id>/done")
@allow(Role.GRADUATE, Role.MENTOR)
def action_done(action_id: int):
    back = url_for("mentoring.home")
    if not ActionForm().validate_on_submit():
        return redirect(back)
    try:
        action = check_ins.mark_action_done(signed_in_user(), action_id)
    except MentoringError as error:
        return refuse(error, request.referrer if _same_site(request.referrer) else back)
    return redirect(_back(action.graduate_id) + "#actions")


@bp.post("/goals/<int:goal_id>/value")
@allow(Role.GRADUATE, Role.MENTOR)
def goal_value(goal_id: int):
    form = GoalValueForm()
    back = url_for("mentoring.home")
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(back)
    try:
        goal = goals.set_goal_value(signed_in_user(), goal_id, form.value.data)
    except MentoringError as error:
        return refuse(error, back)
    return redirect(_back(goal.graduate_id) + "#goals")


def _same_site(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)
