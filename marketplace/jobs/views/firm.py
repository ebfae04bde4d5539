"""The firm's area (``/mitra``): the firm's profile, colleagues, vacancies and the hiring pipeline.

Every page works on the signed-in partner's own firm, read afresh on each request; anything of another
firm answers 404 (the services raise NotFound).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.accounts import services as accounts
from marketplace.core.errors import show_error
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, owner_of_firm, signed_in_user
from marketplace.core.timeutil import JAKARTA
from marketplace.jobs import applications, firms, forms, vacancies
from marketplace.jobs import pipeline as hiring
from marketplace.jobs.errors import InvalidInput, JobsError, NotFound
from marketplace.jobs.forms import STAGES
from marketplace.jobs.models import FINAL_STAGES
from marketplace.jobs.views.common import page_arg, require_action_form

bp = Blueprint("jobs_firm", __name__, url_prefix="/mitra")
register_nav(_l("My firm"), "jobs_firm.dashboard", {Role.PARTNER}, 30)


def _firm():
    firm = firms.firm_of(signed_in_user())
    if firm is None:
        abort(404)
    return firm


@bp.get("/")
@allow(Role.PARTNER)
def dashboard():
    user = signed_in_user()
    firm = firms.firm_of(user)
    if firm is None:
        return redirect(url_for("jobs_firm.profile"))
    return render_template("jobs/firm/dashboard.html", firm=firm, rows=vacancies.firm_vacancies(firm),
                           is_owner=owner_of_firm(user, firm), action_form=forms.ActionForm())


@bp.route("/profil", methods=["GET", "POST"])
@allow(Role.PARTNER)
def profile():
    user = signed_in_user()
    firm = firms.firm_of(user)
    if firm is not None and not owner_of_firm(user, firm):
        abort(404)
    form = forms.FirmForm(obj=firm)
    if firm is not None and request.method == "GET":
        form.pledge.data = True
    if form.validate_on_submit():
        try:
            firms.save_firm(user, firms.FirmData(
                legal_name=form.legal_name.data, nib=form.nib.data, sector=form.sector.data, city=form.city.data,
                contact_name=form.contact_name.data, contact_phone=form.contact_phone.data or "",
                pledge=form.pledge.data))
        except InvalidInput as exc:
            target = {"nib": form.nib, "nib_taken": form.nib, "pledge": form.pledge,
                      "phone": form.contact_phone}.get(exc.code, form.legal_name)
            show_error(exc, target)
        except NotFound:
            abort(404)
        else:
            flash(_("Your firm's details are saved."), "success")
            return redirect(url_for("jobs_firm.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/firm/profile.html", form=form, firm=firm), status


# Colleagues ---------------------------------------------------------------------------------------


def _render_team(firm, form, status: int = 200):
    user = signed_in_user()
    return render_template("jobs/firm/team.html", firm=firm, form=form, is_owner=owner_of_firm(user, firm),
                           invitations=firms.open_firm_invitations(firm), action_form=forms.ActionForm(),
                           me=user), status


@bp.get("/tim")
@allow(Role.PARTNER)
def team():
    return _render_team(_firm(), forms.InviteColleagueForm())


@bp.post("/tim/undang")
@allow(Role.PARTNER)
def invite():
    firm = _firm()
    form = forms.InviteColleagueForm()
    if form.validate_on_submit():
        try:
            invitation = firms.invite_colleague(signed_in_user(), name=form.name.data, email=form.email.data,
                                                   locale=form.language.data)
        except accounts.EmailTaken:
            form.email.errors.append(_("An account with this email address already exists."))
        except NotFound:
            abort(404)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("jobs_firm.team"))
    return _render_team(firm, form, 400)


@bp.post("/tim/<int:member_id>/hapus")
@allow(Role.PARTNER)
def remove_member(member_id: int):
    require_action_form()
    firms.remove_member(signed_in_user(), member_id)
    flash(_("The colleague no longer has access to your firm."), "success")
    return redirect(url_for("jobs_firm.team"))


@bp.post("/tim/undangan/<int:invitation_id>/batal")
@allow(Role.PARTNER)
def revoke_invitation(invitation_id: int):
    require_action_form()
    firms.revoke_firm_invitation(signed_in_user(), invitation_id)
    flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("jobs_firm.team"))


# Vacancies ----------------------------------------------------------------------------------------


def _vacancy_form_error(form, exc) -> None:
    target = {"salary": form.salary_min_idr, "salary_range": form.salary_max_idr, "openings": form.openings,
              "closes_on": form.closes_on, "city": form.city,
              "employment_type": form.employment_type}.get(exc.code)
    show_error(exc, target)  # under the field it concerns, or flashed


def _vacancy_page(form, firm, vacancy, save, done: str):
    """The vacancy form, new or existing: saved, back to its edit page with ``done``; otherwise the form with
    its errors under the fields they concern."""
    if form.validate_on_submit():
        try:
            saved = save(form.to_data())
        except NotFound:
            abort(404)
        except JobsError as exc:
            _vacancy_form_error(form, exc)
        else:
            flash(done, "success")
            return redirect(url_for("jobs_firm.edit_vacancy", vacancy_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/firm/vacancy_form.html", form=form, firm=firm, vacancy=vacancy,
                           action_form=forms.ActionForm()), status


@bp.route("/lowongan/baru", methods=["GET", "POST"])
@allow(Role.PARTNER)
def new_vacancy():
    return _vacancy_page(forms.VacancyForm(), _firm(), None,
                         lambda data: vacancies.create_vacancy(signed_in_user(), data),
                         _("The vacancy is saved as a draft. Publish it when it is ready."))


@bp.route("/lowongan/<int:vacancy_id>/ubah", methods=["GET", "POST"])
@allow(Role.PARTNER)
def edit_vacancy(vacancy_id: int):
    user = signed_in_user()
    vacancy = vacancies.firm_vacancy(user, vacancy_id)
    form = forms.VacancyForm(obj=vacancy)
    if request.method == "GET":
        form.skills.data = ", ".join(vacancy.skill_list)
    return _vacancy_page(form, vacancy.firm, vacancy, lambda data: vacancies.update_vacancy(user, vacancy.id, data),
                         _("The vacancy is saved."))


VACANCY_STATUS_DONE = {
    "open": _l("The vacancy is published."),
    "closed": _l("The vacancy is closed."),
    "filled": _l("The vacancy is marked as filled."),
    "draft": _l("The vacancy is back to draft."),
}


@bp.post("/lowongan/<int:vacancy_id>/status/<status>")
@allow(Role.PARTNER)
def vacancy_status(vacancy_id: int, status: str):
    require_action_form()
    try:
        vacancies.set_vacancy_status(signed_in_user(), vacancy_id, status)
    except NotFound:
        abort(404)
    except JobsError as exc:
        show_error(exc)
    else:
        flash(str(VACANCY_STATUS_DONE.get(status, "")), "success")
    return redirect(url_for("jobs_firm.edit_vacancy", vacancy_id=vacancy_id))


# The pipeline -------------------------------------------------------------------------------------


@bp.get("/lowongan/<int:vacancy_id>")
@allow(Role.PARTNER)
def pipeline(vacancy_id: int):
    stage = request.args.get("tahap") or None
    found = hiring.pipeline(signed_in_user(), vacancy_id, stage=stage, page=page_arg())
    args = {"vacancy_id": vacancy_id, "tahap": found.stage} if found.stage else {"vacancy_id": vacancy_id}
    prev_url = url_for("jobs_firm.pipeline", **args, page=found.page - 1) if found.page > 1 else None
    next_url = url_for("jobs_firm.pipeline", **args, page=found.page + 1) if found.has_next else None
    return render_template("jobs/firm/pipeline.html", pipeline=found, vacancy=found.vacancy,
                           applications=found.rows, stages=STAGES, bulk_form=forms.BulkMoveForm(formdata=None),
                           final_stages=FINAL_STAGES, prev_url=prev_url, next_url=next_url)


@bp.post("/lowongan/<int:vacancy_id>/pindah")
@allow(Role.PARTNER)
def bulk_move(vacancy_id: int):
    form = forms.BulkMoveForm()
    if not form.validate_on_submit():
        flash(_("Choose a stage and at least one application."), "error")
        return redirect(url_for("jobs_firm.pipeline", vacancy_id=vacancy_id))
    try:
        moved = hiring.bulk_move(signed_in_user(), vacancy_id, form.application_ids.data or [], form.stage.data)
    except NotFound:
        abort(404)
    except JobsError as exc:
        show_error(exc)
    else:
        flash(_("%(n)d application(s) moved.", n=moved), "success")
    return redirect(url_for("jobs_firm.pipeline", vacancy_id=vacancy_id))


def _render_application(application_id: int, move_form=None, note_form=None, status: int = 200):
    application, notes = hiring.application_for_firm(signed_in_user(), application_id)
    return render_template("jobs/firm/application.html", application=application, notes=notes, stages=STAGES,
                           move_form=move_form or forms.MoveForm(formdata=None),
                           note_form=note_form or forms.NoteForm(formdata=None)), status


@bp.get("/lamaran/<int:application_id>")
@allow(Role.PARTNER)
def application(application_id: int):
    return _render_application(application_id)


def _act_on_application(application_id: int, form, action, done: str, form_name: str):
    """A form on the application's page: valid and accepted, back to the page with ``done``; otherwise the
    page again with the form and its errors (``form_name`` says which of the page's forms it is)."""
    if form.validate_on_submit():
        try:
            action(form)
        except NotFound:
            abort(404)
        except JobsError as exc:
            show_error(exc)
        else:
            flash(done, "success")
            return redirect(url_for("jobs_firm.application", application_id=application_id))
    return _render_application(application_id, status=400, **{form_name: form})


def _move_of(form) -> hiring.Move:
    interview_at = form.interview_at.data.replace(tzinfo=JAKARTA) if form.interview_at.data is not None else None
    return hiring.Move(stage=form.stage.data, interview_at=interview_at,
                       interview_place=form.interview_place.data or "", start_on=form.start_on.data)


@bp.post("/lamaran/<int:application_id>/pindah")
@allow(Role.PARTNER)
def move(application_id: int):
    return _act_on_application(
        application_id, forms.MoveForm(),
        lambda form: hiring.move_application(signed_in_user(), application_id, _move_of(form)),
        _("The application is moved; the applicant has been told by email."), "move_form")


@bp.post("/lamaran/<int:application_id>/catatan")
@allow(Role.PARTNER)
def add_note(application_id: int):
    return _act_on_application(
        application_id, forms.NoteForm(),
        lambda form: hiring.add_note(signed_in_user(), application_id, form.body.data), _("Note saved."), "note_form")


@bp.get("/lamaran/<int:application_id>/cv")
@allow(Role.PARTNER)
def cv(application_id: int):
    data, filename = applications.cv_download(signed_in_user(), application_id, as_firm=True)
    return pdf_response(data, filename)


def pdf_response(data: bytes, filename: str) -> Response:
    """A CV as a download, never cached by shared caches, never sniffed as something else."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{filename.encode('ascii', 'ignore').decode() or 'cv.pdf'}\""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
