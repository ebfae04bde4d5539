"""The staff area (``/staff``): a program's cohorts and people, invitations, partner approval.

Staff see and act on their own program only; the admin picks a program with ``?program_id=``.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts import services as accounts
from marketplace.accounts.policy import ADMIN, STAFF, allow, signed_in_user
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.programs import services
from marketplace.programs.admin import bp as admin_bp
from marketplace.programs.forms import ActionForm, InvitationForm

bp = Blueprint("programs", __name__, url_prefix="/staff")
blueprints = [bp, admin_bp]

register_nav(_l("Staff"), "programs.home", {STAFF, ADMIN}, 70)


def _program_or_404():
    try:
        program = services.program_for(signed_in_user(), request.args.get("program_id", type=parse_id))
    except services.NotFound:
        abort(404)
    return program


def _back_home(program_id: int | None):
    """To the staff home; the admin stays in the program they were acting in (staff have only theirs)."""
    return redirect(url_for("programs.home", program_id=program_id if current_user.role == ADMIN else None))


def _render_home(program, form: InvitationForm, status: int = 200):
    if program is None:  # the admin has not chosen a program yet
        return render_template("programs/choose_program.html", programs=services.all_programs()), status
    overview = services.program_overview(program)
    return render_template("programs/home.html", overview=overview, form=form, action_form=ActionForm(),
                           status_of=services.invitation_status), status


@bp.get("/")
@allow(STAFF, ADMIN)
def home():
    program = _program_or_404()
    form = InvitationForm()
    if program is not None:
        form.set_cohorts(services.program_overview(program).cohorts)
    return _render_home(program, form)


@bp.post("/invitations")
@allow(STAFF, ADMIN)
def create_invitation():
    program = _program_or_404()
    if program is None:
        abort(404)
    form = InvitationForm().set_cohorts(services.program_overview(program).cohorts)
    if form.validate_on_submit():
        try:
            invitation = services.create_invitation(
                signed_in_user(), program, role=form.role.data, name=form.name.data, email=form.email.data,
                cohort_id=form.cohort_id.data or None, locale=form.language.data)
        except services.CohortRequired:
            form.cohort_id.errors.append(_("Choose the graduate's cohort."))
        except accounts.EmailTaken:
            form.email.errors.append(_("An account with this email address already exists."))
        except services.NotFound:
            abort(404)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return _back_home(program.id)
    return _render_home(program, form, 400)


@bp.post("/invitations/<int:invitation_id>/revoke")
@allow(STAFF, ADMIN)
def revoke_invitation(invitation_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invitation = services.revoke_invitation(signed_in_user(), invitation_id)
    except services.NotFound:
        abort(404)
    flash(_("The invitation for %(email)s is withdrawn.", email=invitation.email), "success")
    return _back_home(invitation.program_id)


@bp.post("/invitations/<int:invitation_id>/resend")
@allow(STAFF, ADMIN)
def resend_invitation(invitation_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invitation = services.resend_invitation(signed_in_user(), invitation_id)
    except services.NotFound:
        abort(404)
    except services.InvitationClosed:
        flash(_("This invitation was accepted or withdrawn, so it cannot be sent again."), "error")
        return _back_home(request.args.get("program_id", type=parse_id))
    except accounts.EmailTaken:
        flash(_("An account with this email address already exists."), "error")
        return _back_home(request.args.get("program_id", type=parse_id))
    flash(_("A new invitation was sent to %(email)s; the earlier link no longer works.", email=invitation.email),
          "success")
    return _back_home(invitation.program_id)


@bp.get("/people/<int:user_id>")
@allow(STAFF, ADMIN)
def person(user_id: int):
    try:
        person = services.person_for_staff(signed_in_user(), user_id)
    except services.NotFound:
        abort(404)
    return render_template("programs/person.html", person=person)


@bp.get("/partners")
@allow(STAFF, ADMIN)
def partners():
    try:
        pending = services.pending_partners(current_user)
    except services.NotFound:
        abort(404)
    return render_template("programs/partners.html", partners=pending, action_form=ActionForm())


@bp.post("/partners/<int:user_id>/approve")
@allow(STAFF, ADMIN)
def approve_partner(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        partner = services.approve_partner(signed_in_user(), user_id)
    except services.NotFound:
        abort(404)
    flash(_("%(organisation)s is approved; they have been told by email.", organisation=partner.organisation),
          "success")
    return redirect(url_for("programs.partners"))


@bp.post("/partners/<int:user_id>/reject")
@allow(STAFF, ADMIN)
def reject_partner(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.reject_partner(signed_in_user(), user_id)
    except services.NotFound:
        abort(404)
    flash(_("The registration is rejected; the company has been told by email."), "success")
    return redirect(url_for("programs.partners"))
