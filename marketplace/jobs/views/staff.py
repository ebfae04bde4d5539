"""Program staff and the admin: approve, reject and suspend firms, suspend vacancies, read placements."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.jobs import forms, queries, services
from marketplace.jobs.views.common import error_message
from marketplace.programs import services as programs

bp = Blueprint("jobs_staff", __name__, url_prefix="/staff/jobs")
register_nav(_l("Firms and jobs"), "jobs_staff.index", {Role.STAFF, Role.ADMIN}, 72)


def _render_index(reason_form=None, status: int = 200):
    user = signed_in_user()
    try:
        firms = services.firms_for_staff(user)
        vacancies = services.vacancies_for_staff(user)
    except services.NotFound:
        abort(404)
    return render_template("jobs/staff/index.html", firms=firms, vacancies=vacancies,
                           reason_form=reason_form or forms.ReasonForm(formdata=None),
                           optional_form=forms.OptionalReasonForm(formdata=None), action_form=forms.ActionForm()), status


@bp.get("/")
@allow(Role.STAFF, Role.ADMIN)
def index():
    return _render_index()


def _act(action, needs_reason: bool, done: str):
    form = forms.ReasonForm() if needs_reason else forms.OptionalReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason: the firm will see it."), "error")
        return _render_index(form if needs_reason else None, 400)
    try:
        action(form.reason.data or "")
    except services.NotFound:
        abort(404)
    except services.JobsError as exc:
        flash(error_message(exc), "error")
        return _render_index(None, 400)
    flash(done, "success")
    return redirect(url_for("jobs_staff.index"))


@bp.post("/firms/<int:firm_id>/approve")
@allow(Role.STAFF, Role.ADMIN)
def approve_firm(firm_id: int):
    return _act(lambda reason: services.decide_firm(signed_in_user(), firm_id, True, reason), False,
                _("The firm is approved; its owner has been told by email."))


@bp.post("/firms/<int:firm_id>/reject")
@allow(Role.STAFF, Role.ADMIN)
def reject_firm(firm_id: int):
    return _act(lambda reason: services.decide_firm(signed_in_user(), firm_id, False, reason), True,
                _("The firm is rejected; its owner has been told why by email."))


@bp.post("/firms/<int:firm_id>/suspend")
@allow(Role.STAFF, Role.ADMIN)
def suspend_firm(firm_id: int):
    return _act(lambda reason: services.suspend_firm(signed_in_user(), firm_id, reason), True,
                _("The firm is suspended: its vacancies are hidden."))


@bp.post("/firms/<int:firm_id>/reinstate")
@allow(Role.STAFF, Role.ADMIN)
def reinstate_firm(firm_id: int):
    return _act(lambda reason: services.reinstate_firm(signed_in_user(), firm_id), False,
                _("The firm is reinstated."))


@bp.post("/vacancies/<int:vacancy_id>/suspend")
@allow(Role.STAFF, Role.ADMIN)
def suspend_vacancy(vacancy_id: int):
    return _act(lambda reason: services.suspend_vacancy(signed_in_user(), vacancy_id, reason), True,
                _("The vacancy is suspended and hidden from the public."))


@bp.post("/vacancies/<int:vacancy_id>/reinstate")
@allow(Role.STAFF, Role.ADMIN)
def reinstate_vacancy(vacancy_id: int):
    return _act(lambda reason: services.reinstate_vacancy(signed_in_user(), vacancy_id), False,
                _("The vacancy is visible again."))


@bp.get("/placements")
@allow(Role.STAFF, Role.ADMIN)
def placements():
    """Applications and hires of the program's graduates by cohort: staff see their own program only."""
    try:
        program = programs.program_for(signed_in_user(), request.args.get("program_id", type=parse_id))
    except programs.NotFound:
        abort(404)
    if program is None:
        return render_template("jobs/staff/choose_program.html", programs=programs.all_programs())
    return render_template("jobs/staff/placements.html", program=program,
                           cohorts=queries.jobs_by_cohort(program.id), placements=queries.placements(program.id),
                           totals=queries.board_totals(services.jakarta_today()))
