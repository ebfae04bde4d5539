"""The admin area (``/admin``): programs, cohorts, staff accounts, and the development outbox."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.core.errors import show_error
from marketplace.core.ids import parse_id
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.notifications import services as notifications
from marketplace.programs import services
from marketplace.programs.errors import AlreadyRegistered, GraduationBeforeStart, NameTaken
from marketplace.programs.forms import CohortForm, ProgramForm, StaffForm

bp = Blueprint("admin", __name__, url_prefix="/admin")

register_nav(_l("Admin"), "admin.home", {Role.ADMIN}, 75)


def _render_home(status: int = 200, program_form=None, cohort_form=None, staff_form=None, form_program_id=None):
    return render_template(
        "programs/admin/home.html", programs=services.all_programs(),
        program_form=program_form or ProgramForm(), cohort_form=cohort_form or CohortForm(formdata=None),
        staff_form=staff_form or StaffForm(formdata=None), form_program_id=form_program_id), status


@bp.get("/")
@allow(Role.ADMIN)
def home():
    return _render_home()


@bp.post("/programs")
@allow(Role.ADMIN)
def create_program():
    form = ProgramForm()
    if not form.validate_on_submit():
        return _render_home(400, program_form=form)
    program = services.create_program(signed_in_user(), name=form.name.data, institution=form.institution.data,
                                      city=form.city.data)
    flash(_("Program %(name)s created.", name=program.name), "success")
    return redirect(url_for("admin.home"))


@bp.post("/programs/<int:program_id>/cohorts")
@allow(Role.ADMIN)
def create_cohort(program_id: int):
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create_cohort(signed_in_user(), program_id, name=form.name.data,
                                            started_on=form.started_on.data, graduated_on=form.graduated_on.data)
        except NameTaken as exc:
            show_error(exc, form.name)
        except GraduationBeforeStart as exc:
            show_error(exc, form.graduated_on)
        else:
            flash(_("Cohort %(name)s created.", name=cohort.name), "success")
            return redirect(url_for("admin.home"))
    return _render_home(400, cohort_form=form, form_program_id=program_id)


@bp.post("/programs/<int:program_id>/staff")
@allow(Role.ADMIN)
def create_staff(program_id: int):
    form = StaffForm()
    if form.validate_on_submit():
        try:
            user = services.create_staff_account(signed_in_user(), program_id, name=form.name.data,
                                                 email=form.email.data, locale=form.language.data)
        except AlreadyRegistered as exc:
            show_error(exc, form.email)
        else:
            flash(_("Staff account for %(email)s created; a link to set the password was emailed.",
                    email=user.email), "success")
            return redirect(url_for("admin.home"))
    return _render_home(400, staff_form=form, form_program_id=program_id)


@bp.get("/outbox")
@allow(Role.ADMIN)
def outbox():
    before = request.args.get("before", type=parse_id)
    page = notifications.outbox_page(before_id=before)
    return render_template("programs/admin/outbox.html", page=page, before=before)


@bp.get("/outbox/<int:message_id>")
@allow(Role.ADMIN)
def outbox_message(message_id: int):
    message = notifications.outbox_message(message_id)
    if message is None:
        abort(404)
    return render_template("programs/admin/outbox_message.html", message=message)
