"""References for jobs: the graduate asks (and may take the request back), the current mentor writes it,
the graduate attaches it to one of their open job applications (or takes it off again)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from marketplace.core.errors import DomainError
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.mentoring import references
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.forms import ActionForm, AttachReferenceForm, ReferenceForm, ReferenceRequestForm
from marketplace.mentoring.views.blueprint import bp
from marketplace.mentoring.views.common import form_errors_flash, refuse


def _my_references() -> str:
    return url_for("mentoring.my_progress") + "#references"


def _graduate_acts(form, act, done: str):
    """A graduate's button among their references: the form checked, ``act(form)`` calls one service
    (whose refusal, ours or the job board's, becomes a message or a 404), back to the section."""
    if not form.validate_on_submit():
        form_errors_flash(form)
    else:
        try:
            act(form)
        except DomainError as error:
            return refuse(error, _my_references())
        flash(done, "success")
    return redirect(_my_references())


@bp.post("/references")
@allow(Role.GRADUATE)
def request_reference():
    return _graduate_acts(ReferenceRequestForm(),
                          lambda form: references.request_reference(signed_in_user(), form.note.data),
                          _("Your mentor has been asked for a reference."))


@bp.post("/references/<int:reference_id>/withdraw")
@allow(Role.GRADUATE)
def withdraw_reference_request(reference_id: int):
    return _graduate_acts(ActionForm(), lambda _form: references.withdraw_request(signed_in_user(), reference_id),
                          _("Your request has been withdrawn."))


@bp.route("/mentees/<int:graduate_id>/reference", methods=["GET", "POST"])
@allow(Role.MENTOR)
def write_reference(graduate_id: int):
    user = signed_in_user()
    try:
        graduate, asked = references.request_to_write(user, graduate_id)
    except MentoringError:
        abort(404)
    form = ReferenceForm()
    if form.validate_on_submit():
        try:
            references.write_reference(user, graduate_id, form.body.data)
        except MentoringError as error:
            if error.status == 404:
                abort(404)
            form.form_errors.append(error.message)
        else:
            flash(_("Reference sent to %(name)s.", name=graduate.name), "success")
            return redirect(url_for("mentoring.home"))
    status = 400 if form.is_submitted() else 200
    return render_template("mentoring/reference_form.html", form=form, graduate=graduate, asked=asked), status


@bp.post("/references/<int:reference_id>/attach")
@allow(Role.GRADUATE)
def attach_reference(reference_id: int):
    return _graduate_acts(
        AttachReferenceForm(),
        lambda form: references.attach_to_application(signed_in_user(), reference_id, form.application_id.data),
        _("The reference is attached: the firm can read it with your application."))


@bp.post("/applications/<int:application_id>/reference/remove")
@allow(Role.GRADUATE)
def detach_reference(application_id: int):
    return _graduate_acts(ActionForm(),
                          lambda _form: references.detach_from_application(signed_in_user(), application_id),
                          _("The reference is no longer attached to that application."))
