"""The firm's area (``/mitra``): the firm's profile, colleagues, vacancies and the hiring pipeline.

Every page works on the signed-in partner's own firm, read afresh on each request; anything of another
firm answers 404 (the services raise NotFound).
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.accounts import services as accounts
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, owner_of_firm, signed_in_user
from marketplace.jobs import forms, services
from marketplace.jobs.forms import STAGES
from marketplace.jobs.models import FINAL_STAGES
from marketplace.jobs.views.common import error_message, page_arg

bp = Blueprint("jobs_firm", __name__, url_prefix="/mitra")
register_nav(_l("My firm"), "jobs_firm.dashboard", {Role.PARTNER}, 30)


def _firm():
    firm = services.firm_of(signed_in_user())
    if firm is None:
        abort(404)
    return firm


@bp.get("/")
@allow(Role.PARTNER)
def dashboard():
    user = signed_in_user()
    firm = services.firm_of(user)
    if firm is None:
        return redirect(url_for("jobs_firm.profile"))
    return render_template("jobs/firm/dashboard.html", firm=firm, rows=services.firm_vacancies(firm),
                           is_owner=owner_of_firm(user, firm), action_form=forms.ActionForm())


@bp.route("/profil", methods=["GET", "POST"])
@allow(Role.PARTNER)
def profile():
    user = signed_in_user()
    firm = services.firm_of(user)
    if firm is not None and not owner_of_firm(user, firm):
        abort(404)
    form = forms.FirmForm(obj=firm)
    if firm is not None and request.method == "GET":
        form.pledge.data = True
    if form.validate_on_submit():
        try:
            services.save_firm(user, services.FirmData(
                legal_name=form.legal_name.data, nib=form.nib.data, sector=form.sector.data, city=form.city.data,
                contact_name=form.contact_name.data, contact_phone=form.contact_phone.data or "",
                pledge=form.pledge.data))
        except services.InvalidInput as exc:
            target = {"nib": form.nib, "nib_taken": form.nib, "pledge": form.pledge,
                      "phone": form.contact_phone}.get(exc.code, form.legal_name)
            target.errors.append(error_message(exc))
        except services.NotFound:
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
                           invitations=services.open_firm_invitations(firm), action_form=forms.ActionForm(),
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
            invitation = services.invite_colleague(signed_in_user(), name=form.name.data, email=form.email.data,
                                                   locale=form.language.data)
        except accounts.EmailTaken:
            form.email.errors.append(_("An account with this email address already exists."))
        except services.NotFound:
            abort(404)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return redirect(url_for("jobs_firm.team"))
    return _render_team(firm, form, 400)


@bp.post("/tim/<int:member_id>/hapus")
@allow(Role.PARTNER)
def remove_member(member_id: int):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        services.remove_member(signed_in_user(), member_id)
    except services.NotFound:
        abort(404)
    flash(_("The colleague no longer has access to your firm."), "success")
    return redirect(url_for("jobs_firm.team"))


@bp.post("/tim/undangan/<int:invitation_id>/batal")
@allow(Role.PARTNER)
def revoke_invitation(invitation_id: int):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        services.revoke_firm_invitation(signed_in_user(), invitation_id)
    except services.NotFound:
        abort(404)
    flash(_("The invitation is withdrawn."), "success")
    return redirect(url_for("jobs_firm.team"))


# Vacancies ----------------------------------------------------------------------------------------


def _vacancy_form_error(form, exc) -> None:
    target = {"salary": form.salary_min_idr, "salary_range": form.salary_max_idr, "openings": form.openings,
              "closes_on": form.closes_on, "city": form.city,
              "employment_type": form.employment_type}.get(exc.code)
    if target is not None:
        target.errors.append(error_message(exc))
    else:
        flash(error_message(exc), "error")


@bp.route("/lowongan/baru", methods=["GET", "POST"])
@allow(Role.PARTNER)
def new_vacancy():
    firm = _firm()
    form = forms.VacancyForm()
    if form.validate_on_submit():
        try:
            vacancy = services.create_vacancy(signed_in_user(), form.to_data())
        except services.NotFound:
            abort(404)
        except services.JobsError as exc:
            _vacancy_form_error(form, exc)
        else:
            flash(_("The vacancy is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("jobs_firm.edit_vacancy", vacancy_id=vacancy.id))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/firm/vacancy_form.html", form=form, firm=firm, vacancy=None,
                           action_form=forms.ActionForm()), status


@bp.route("/lowongan/<int:vacancy_id>/ubah", methods=["GET", "POST"])
@allow(Role.PARTNER)
def edit_vacancy(vacancy_id: int):
    user = signed_in_user()
    try:
        vacancy = services.firm_vacancy(user, vacancy_id)
    except services.NotFound:
        abort(404)
    form = forms.VacancyForm(obj=vacancy)
    if request.method == "GET":
        form.skills.data = ", ".join(vacancy.skill_list)
    if form.validate_on_submit():
        try:
            services.update_vacancy(user, vacancy.id, form.to_data())
        except services.NotFound:
            abort(404)
        except services.JobsError as exc:
            _vacancy_form_error(form, exc)
        else:
            flash(_("The vacancy is saved."), "success")
            return redirect(url_for("jobs_firm.edit_vacancy", vacancy_id=vacancy.id))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/firm/vacancy_form.html", form=form, firm=vacancy.firm, vacancy=vacancy,
                           action_form=forms.ActionForm()), status


VACANCY_STATUS_DONE = {
    "open": _l("The vacancy is published."),
    "closed": _l("The vacancy is closed."),
    "filled": _l("The vacancy is marked as filled."),
    "draft": _l("The vacancy is back to draft."),
}


@bp.post("/lowongan/<int:vacancy_id>/status/<status>")
@allow(Role.PARTNER)
def vacancy_status(vacancy_id: int, status: str):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        services.set_vacancy_status(signed_in_user(), vacancy_id, status)
    except services.NotFound:
        abort(404)
    except services.JobsError as exc:
        flash(error_message(exc), "error")
    else:
        flash(str(VACANCY_STATUS_DONE.get(status, "")), "success")
    return redirect(url_for("jobs_firm.edit_vacancy", vacancy_id=vacancy_id))


# The pipeline -------------------------------------------------------------------------------------


@bp.get("/lowongan/<int:vacancy_id>")
@allow(Role.PARTNER)
def pipeline(vacancy_id: int):
    stage = request.args.get("tahap") or None
    try:
        found = services.pipeline(signed_in_user(), vacancy_id, stage=stage, page=page_arg())
    except services.NotFound:
        abort(404)
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
        moved = services.bulk_move(signed_in_user(), vacancy_id, form.application_ids.data or [], form.stage.data)
    except services.NotFound:
        abort(404)
    except services.JobsError as exc:
        flash(error_message(exc), "error")
    else:
        flash(_("%(n)d application(s) moved.", n=moved), "success")
    return redirect(url_for("jobs_firm.pipeline", vacancy_id=vacancy_id))


def _render_application(application_id: int, move_form=None, note_form=None, status: int = 200):
    try:
        application, notes = services.application_for_firm(signed_in_user(), application_id)
    except services.NotFound:
        abort(404)
    return render_template("jobs/firm/application.html", application=application, notes=notes, stages=STAGES,
                           move_form=move_form or forms.MoveForm(formdata=None),
                           note_form=note_form or forms.NoteForm(formdata=None)), status


@bp.get("/lamaran/<int:application_id>")
@allow(Role.PARTNER)
def application(application_id: int):
    return _render_application(application_id)


@bp.post("/lamaran/<int:application_id>/pindah")
@allow(Role.PARTNER)
def move(application_id: int):
    form = forms.MoveForm()
    if form.validate_on_submit():
        interview_at = None
        if form.interview_at.data is not None:
            interview_at = form.interview_at.data.replace(tzinfo=services.JAKARTA)
        try:
            services.move_application(signed_in_user(), application_id, services.Move(
                stage=form.stage.data, interview_at=interview_at, interview_place=form.interview_place.data or "",
                start_on=form.start_on.data))
        except services.NotFound:
            abort(404)
        except services.JobsError as exc:
            flash(error_message(exc), "error")
        else:
            flash(_("The application is moved; the applicant has been told by email."), "success")
            return redirect(url_for("jobs_firm.application", application_id=application_id))
    return _render_application(application_id, move_form=form, status=400)


@bp.post("/lamaran/<int:application_id>/catatan")
@allow(Role.PARTNER)
def add_note(application_id: int):
    form = forms.NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(signed_in_user(), application_id, form.body.data)
        except services.NotFound:
            abort(404)
        except services.JobsError as exc:
            flash(error_message(exc), "error")
        else:
            flash(_("Note saved."), "success")
            return redirect(url_for("jobs_firm.application", application_id=application_id))
    return _render_application(application_id, note_form=form, status=400)


@bp.get("/lamaran/<int:application_id>/cv")
@allow(Role.PARTNER)
def cv(application_id: int):
    try:
        data, filename = services.cv_download(signed_in_user(), application_id, as_firm=True)
    except services.NotFound:
        abort(404)
    return pdf_response(data, filename)


def pdf_response(data: bytes, filename: str) -> Response:
    """A CV as a download, never cached by shared caches, never sniffed as something else."""
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"attachment; filename=\"{filename.encode('ascii', 'ignore').decode() or 'cv.pdf'}\""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
