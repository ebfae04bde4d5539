"""The graduate's side (``/kerja``): the work profile, applying with a preview, the status of each application."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import show_error
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.jobs import applications as applying
from marketplace.jobs import forms, references, training
from marketplace.jobs import profile as work_profile
from marketplace.jobs.errors import CVRejected, JobsError, NotFound
from marketplace.jobs.forms import STAGES
from marketplace.jobs.views.common import require_action_form
from marketplace.jobs.views.firm import pdf_response

bp = Blueprint("jobs_graduate", __name__, url_prefix="/kerja")
register_nav(_l("My applications"), "jobs_graduate.applications", {Role.GRADUATE}, 35)


@bp.get("/")
@allow(Role.GRADUATE)
def applications():
    return render_template("jobs/graduate/applications.html",
                           applications=applying.my_applications(signed_in_user()), stages=STAGES)


@bp.route("/profil", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def profile():
    user = signed_in_user()
    current = work_profile.profile_of(user)
    form = forms.ProfileForm(obj=current)
    if request.method == "GET":
        form.skills.data = ", ".join(current.skill_list)
    if form.validate_on_submit():
        work_profile.save_profile(user, form.to_data())
        flash(_("Your work profile is saved. Firms see it only in the applications you send."), "success")
        vacancy_id = parse_id(request.args.get("lowongan"))
        if vacancy_id:
            return redirect(url_for("jobs_graduate.apply", vacancy_id=vacancy_id))
        return redirect(url_for("jobs_graduate.applications"))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/graduate/profile.html", form=form, trainings=training.trainings_of(user.id),
                           has_storefront=work_profile.storefront_url_of(user) is not None), status


def _vacancy(vacancy_id: int):
    return applying.open_vacancy_for_applying(signed_in_user(), vacancy_id)


@bp.route("/lamar/<int:vacancy_id>", methods=["GET", "POST"])
@allow(Role.GRADUATE)
def apply(vacancy_id: int):
    """Step one: the cover note and the CV. Sending it shows the preview; nothing reaches the firm yet."""
    user = signed_in_user()
    vacancy = _vacancy(vacancy_id)
    if applying.already_applied(user, vacancy.id):
        flash(_("You have already applied for this vacancy."), "info")
        return redirect(url_for("jobs_graduate.applications"))
    form = forms.ApplyForm()
    if form.validate_on_submit():
        upload = form.cv.data
        data = upload.read(applying.cv_max_bytes() + 1) if upload is not None and getattr(upload, "filename", "") else None
        try:
            preview, token = applying.prepare_application(
                user, vacancy.id, cover_note=form.cover_note.data or "", share_phone=form.share_phone.data, cv=data,
                cv_filename=getattr(upload, "filename", None), share_training=form.share_training.data)
        except NotFound:
            abort(404)
        except CVRejected as exc:
            show_error(exc, form.cv)
        except JobsError as exc:
            show_error(exc)
            return redirect(url_for("jobs_graduate.applications"))
        else:
            return render_template("jobs/graduate/preview.html", vacancy=vacancy, preview=preview,
                                   confirm_form=forms.ConfirmApplicationForm(token=token))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/graduate/apply.html", form=form, vacancy=vacancy,
                           profile=work_profile.profile_of(user), has_phone=bool(user.phone),
                           has_trainings=bool(training.trainings_of(user.id))), status


@bp.post("/lamar/<int:vacancy_id>/kirim")
@allow(Role.GRADUATE)
def send(vacancy_id: int):
    """Step two: the applicant confirms what the preview showed."""
    form = forms.ConfirmApplicationForm()
    if not form.validate_on_submit():
        show_error(JobsError("preview_expired"))
        return redirect(url_for("jobs_graduate.apply", vacancy_id=vacancy_id))
    try:
        application = applying.submit_application(signed_in_user(), vacancy_id, form.token.data)
    except NotFound:
        abort(404)
    except JobsError as exc:
        show_error(exc)
        if exc.code == "already_applied":
            return redirect(url_for("jobs_graduate.applications"))
        return redirect(url_for("jobs_graduate.apply", vacancy_id=vacancy_id))
    flash(_("Your application is sent. You will get an email at every step."), "success")
    return redirect(url_for("jobs_graduate.application", application_id=application.id))


@bp.get("/lamaran/<int:application_id>")
@allow(Role.GRADUATE)
def application(application_id: int):
    found = applying.application_for_applicant(signed_in_user(), application_id)
    return render_template("jobs/graduate/application.html", application=found, stages=STAGES,
                           action_form=forms.ActionForm())


@bp.post("/lamaran/<int:application_id>/tarik")
@allow(Role.GRADUATE)
def withdraw(application_id: int):
    require_action_form()
    try:
        applying.withdraw(signed_in_user(), application_id)
    except NotFound:
        abort(404)
    except JobsError as exc:
        show_error(exc)
    else:
        flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("jobs_graduate.application", application_id=application_id))


@bp.post("/lamaran/<int:application_id>/referensi/hapus")
@allow(Role.GRADUATE)
def remove_reference(application_id: int):
    """The applicant takes the mentor's reference off an application: the firm no longer sees it."""
    require_action_form()
    references.detach_reference(application_id, signed_in_user().id)
    flash(_("The reference is removed: the firm no longer sees it."), "success")
    return redirect(url_for("jobs_graduate.application", application_id=application_id))


@bp.get("/lamaran/<int:application_id>/cv")
@allow(Role.GRADUATE)
def cv(application_id: int):
    data, filename = applying.cv_download(signed_in_user(), application_id, as_firm=False)
    return pdf_response(data, filename)
