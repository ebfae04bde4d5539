"""The staff area (``/staff``): a program's cohorts and people, invitations, partner approval.

Staff see and act on their own program only; the admin picks a program with ``?program_id=``.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.accounts.invitations import invitation_status
from marketplace.core.errors import show_error
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, is_admin, signed_in_user
from marketplace.programs import services
from marketplace.programs.errors import AlreadyRegistered, CohortRequired, InvitationClosed
from marketplace.programs.forms import ActionForm, InvitationForm
from marketplace.programs.views.choosing import choose_program, program_in_scope

bp = Blueprint("programs", __name__, url_prefix="/staff")

register_nav(_l("Staff"), "programs.home", {Role.STAFF, Role.ADMIN}, 70)


def _back_home(program_id: int | None):
    """To the staff home; the admin stays in the program they were acting in (staff have only theirs)."""
    return redirect(url_for("programs.home", program_id=program_id if is_admin(current_user) else None))


def _render_home(program, form: InvitationForm, status: int = 200):
    if program is None:  # the admin has not chosen a program yet
        return choose_program("programs.home", status)
    overview = services.program_overview(program)
    return render_template("programs/home.html", overview=overview, form=form, action_form=ActionForm(),
                           status_of=invitation_status), status


@bp.get("/")
@allow(Role.STAFF, Role.ADMIN)
def home():
    program = program_in_scope()
    form = InvitationForm()
    if program is not None:
        form.set_cohorts(services.program_overview(program).cohorts)
    return _render_home(program, form)


@bp.post("/invitations")
@allow(Role.STAFF, Role.ADMIN)
def create_invitation():
    program = program_in_scope()
    if program is None:
        abort(404)
    form = InvitationForm().set_cohorts(services.program_overview(program).cohorts)
    if form.validate_on_submit():
        try:
            invitation = services.create_invitation(
                signed_in_user(), program, role=form.role.data, name=form.name.data, email=form.email.data,
                cohort_id=form.cohort_id.data or None, locale=form.language.data)
        except CohortRequired as exc:
            show_error(exc, form.cohort_id)
        except AlreadyRegistered as exc:
            show_error(exc, form.email)
        else:
            flash(_("Invitation sent to %(email)s.", email=invitation.email), "success")
            return _back_home(program.id)
    return _render_home(program, form, 400)


@bp.post("/invitations/<int:invitation_id>/revoke")
@allow(Role.STAFF, Role.ADMIN)
def revoke_invitation(invitation_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    invitation = services.revoke_invitation(signed_in_user(), invitation_id)
    flash(_("The invitation for %(email)s is withdrawn.", email=invitation.email), "success")
    return _back_home(invitation.program_id)


@bp.post("/invitations/<int:invitation_id>/resend")
@allow(Role.STAFF, Role.ADMIN)
def resend_invitation(invitation_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        invitation = services.resend_invitation(signed_in_user(), invitation_id)
    except (InvitationClosed, AlreadyRegistered) as exc:
        show_error(exc)
        return _back_home(request.args.get("program_id", type=parse_id))
    flash(_("A new invitation was sent to %(email)s; the earlier link no longer works.", email=invitation.email),
          "success")
    return _back_home(invitation.program_id)


@bp.get("/people/<int:user_id>")
@allow(Role.STAFF, Role.ADMIN)
def person(user_id: int):
    person = services.person_for_staff(signed_in_user(), user_id)
    return render_template("programs/person.html", person=person)


@bp.get("/partners")
@allow(Role.STAFF, Role.ADMIN)
def partners():
    pending = services.pending_partners(signed_in_user())
    return render_template("programs/partners.html", partners=pending, action_form=ActionForm())


@bp.post("/partners/<int:user_id>/approve")
@allow(Role.STAFF, Role.ADMIN)
def approve_partner(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    partner = services.approve_partner(signed_in_user(), user_id)
    flash(_("%(organisation)s is approved; they have been told by email.", organisation=partner.organisation),
          "success")
    return redirect(url_for("programs.partners"))


@bp.post("/partners/<int:user_id>/reject")
@allow(Role.STAFF, Role.ADMIN)
def reject_partner(user_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    services.reject_partner(signed_in_user(), user_id)
    flash(_("The registration is rejected; the company has been told by email."), "success")
    return redirect(url_for("programs.partners"))
