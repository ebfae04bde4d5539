"""Staff: customers' problem reports on parcels, whose sellers' money stays held until staff decide
(blueprint ``staff_problems``): release it to the seller, or refund the customer."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.core.errors import show_error
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow
from marketplace.orders import problems
from marketplace.orders.errors import InvalidTransition, RefundFailed
from marketplace.orders.forms import ResolveProblemForm

bp = Blueprint("staff_problems", __name__, url_prefix="/staff/problems")

register_nav(_l("Problem reports"), "staff_problems.index", {Role.STAFF, Role.ADMIN}, 61)

RESOLVED_MESSAGES = {
    problems.Resolution.RELEASE: _l("Released to the seller. The customer and the seller have been told."),
    problems.Resolution.REFUND: _l("The customer is refunded. The customer and the seller have been told."),
}


def _render(status: int = 200, form: ResolveProblemForm | None = None, form_part_id: int | None = None):
    after = request.args.get("after", type=int)
    page = problems.open_reports(current_user, after=after)
    return render_template("orders/staff_problems.html", page=page, after=after,
                           form=form or ResolveProblemForm(formdata=None),
                           blank_form=ResolveProblemForm(formdata=None), form_part_id=form_part_id), status


@bp.get("")
@allow(Role.STAFF, Role.ADMIN)
def index():
    return _render()


@bp.post("/<int:part_id>/resolve")
@allow(Role.STAFF, Role.ADMIN)
def resolve(part_id: int):
    form = ResolveProblemForm()
    if not form.validate():
        problems.check_may_resolve(part_id, current_user)  # another program's report answers 404 first
        return _render(400, form=form, form_part_id=part_id)
    resolution = problems.Resolution(form.resolution.data)
    try:
        problems.resolve(part_id, current_user, resolution, form.reason.data)
    except RefundFailed as exc:
        show_error(exc)
        return _render(502, form=form, form_part_id=part_id)
    except InvalidTransition:
        flash(_("This report had already been decided; nothing changed."), "info")
    else:
        flash(str(RESOLVED_MESSAGES[resolution]), "success")
    return redirect(url_for("staff_problems.index"))
