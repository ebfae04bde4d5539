"""Program staff and the admin: approve, reject and suspend firms, suspend vacancies, read placements."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import show_error
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.core.timeutil import jakarta_today
from marketplace.jobs import firms, forms, queries, training, vacancies
from marketplace.jobs.errors import JobsError, NotFound
from marketplace.jobs.views.common import require_action_form
from marketplace.programs.views.choosing import choose_program, program_in_scope

bp = Blueprint("jobs_staff", __name__, url_prefix="/staff/jobs")
register_nav(_l("Firms and jobs"), "jobs_staff.index", {Role.STAFF, Role.ADMIN}, 72)


def _render_index(reason_form=None, status: int = 200):
    user = signed_in_user()
    try:
        firm_list = firms.firms_for_staff(user)
        vacancy_list = vacancies.vacancies_for_staff(user)
    except NotFound:
        abort(404)
    return render_template("jobs/staff/index.html", firms=firm_list, vacancies=vacancy_list,
                           reason_form=reason_form or forms.ReasonForm(formdata=None),
                           optional_form=forms.OptionalReasonForm(formdata=None), action_form=forms.ActionForm()), status


@bp.get("/")
@allow(Role.STAFF, Role.ADMIN)
def index():
    return _render_index()


# The moderation buttons: endpoint -> (rule, the service given the actor, the id and the reason, whether the
# reason is required, what staff are told). One view each, made by ``_moderation``.
MODERATION = {
    "approve_firm": ("/firms/<int:firm_id>/approve", lambda actor, i, reason: firms.decide_firm(actor, i, True, reason),
                     False, _l("The firm is approved; its owner has been told by email.")),
    "reject_firm": ("/firms/<int:firm_id>/reject", lambda actor, i, reason: firms.decide_firm(actor, i, False, reason),
                    True, _l("The firm is rejected; its owner has been told why by email.")),
    "suspend_firm": ("/firms/<int:firm_id>/suspend", firms.suspend_firm, True,
                     _l("The firm is suspended: its vacancies are hidden.")),
    "reinstate_firm": ("/firms/<int:firm_id>/reinstate", lambda actor, i, _reason: firms.reinstate_firm(actor, i),
                       False, _l("The firm is reinstated.")),
    "suspend_vacancy": ("/vacancies/<int:vacancy_id>/suspend", vacancies.suspend_vacancy, True,
                        _l("The vacancy is suspended and hidden from the public.")),
    "reinstate_vacancy": ("/vacancies/<int:vacancy_id>/reinstate",
                          lambda actor, i, _reason: vacancies.reinstate_vacancy(actor, i), False,
                          _l("The vacancy is visible again.")),
}


def _moderation(service, needs_reason: bool, done):
    @allow(Role.STAFF, Role.ADMIN)
    def act(**ids: int):
        (subject_id,) = ids.values()
        form = forms.ReasonForm() if needs_reason else forms.OptionalReasonForm()
        if not form.validate_on_submit():
            flash(_("Give a reason: the firm will see it."), "error")
            return _render_index(form if needs_reason else None, 400)
        try:
            service(signed_in_user(), subject_id, form.reason.data or "")
        except NotFound:
            abort(404)
        except JobsError as exc:
            show_error(exc)
            return _render_index(None, 400)
        flash(str(done), "success")
        return redirect(url_for("jobs_staff.index"))

    return act


for endpoint, (rule, service, needs_reason, done) in MODERATION.items():
    bp.add_url_rule(rule, endpoint, _moderation(service, needs_reason, done), methods=["POST"])


@bp.get("/placements")
@allow(Role.STAFF, Role.ADMIN)
def placements():
    """Applications and hires of the program's graduates by cohort: staff see their own program only."""
    program = program_in_scope()
    if program is None:
        return choose_program("jobs_staff.placements")
    return render_template("jobs/staff/placements.html", program=program,
                           cohorts=queries.jobs_by_cohort(program.id), placements=queries.placements(program.id),
                           totals=queries.board_totals(jakarta_today()))


# The program's training record ----------------------------------------------------------------------


def _render_trainings(program, form=None, status: int = 200):
    record = training.program_trainings(signed_in_user(), program)
    form = (form or forms.TrainingForm(formdata=None)).for_program(record)
    return render_template("jobs/staff/trainings.html", record=record, form=form,
                           action_form=forms.ActionForm()), status


@bp.route("/pelatihan", methods=["GET", "POST"])
@allow(Role.STAFF, Role.ADMIN)
def trainings():
    """The business and life-skills trainings of the program's graduates, as the program keeps them."""
    program = program_in_scope()
    if program is None:
        return choose_program("jobs_staff.trainings")
    if request.method == "GET":
        return _render_trainings(program)
    form = forms.TrainingForm()
    form.for_program(training.program_trainings(signed_in_user(), program))
    if form.validate_on_submit():
        cohort_id, graduate_id = form.recipient_ids()
        try:
            n = training.record_training(signed_in_user(), program, form.to_data(), cohort_id=cohort_id,
                                         graduate_id=graduate_id)
        except NotFound:
            abort(404)
        except JobsError as exc:
            show_error(exc, form.finished_on if exc.code == "training_dates" else None)
        else:
            flash(_("The training is recorded for %(n)d graduate(s).", n=n), "success")
            return redirect(url_for("jobs_staff.trainings", program_id=program.id))
    return _render_trainings(program, form, 400)


@bp.post("/pelatihan/<int:record_id>/hapus")
@allow(Role.STAFF, Role.ADMIN)
def remove_training(record_id: int):
    require_action_form()
    training.remove_training(signed_in_user(), record_id)
    flash(_("The training is removed from the record."), "success")
    return redirect(url_for("jobs_staff.trainings", program_id=request.args.get("program_id", type=parse_id)))
