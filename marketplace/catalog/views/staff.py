"""Moderation by program staff: hide products, suspend storefronts, always with a reason the owner sees."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from marketplace.catalog import forms, moderation
from marketplace.core.nav import register_nav
from marketplace.core.policy import Role, allow, signed_in_user

bp = Blueprint("moderation", __name__, url_prefix="/staff/moderation")
register_nav(_l("Moderation"), "moderation.index", {Role.STAFF, Role.ADMIN}, 70)


@bp.get("/")
@allow(Role.STAFF, Role.ADMIN)
def index():
    return render_template("catalog/moderation/index.html", businesses=moderation.moderatable_businesses(current_user),
                           form=forms.ModerationForm(formdata=None))


def _act(action, subject_id: int, needs_reason: bool, done: str):
    form = forms.ModerationForm() if needs_reason else forms.OptionalReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason: the seller will see it."), "error")
        return render_template("catalog/moderation/index.html",
                               businesses=moderation.moderatable_businesses(current_user), form=form), 400
    action(signed_in_user(), subject_id, form.reason.data or "")
    flash(done, "success")
    return redirect(url_for("moderation.index"))


@bp.post("/products/<int:product_id>/hide")
@allow(Role.STAFF, Role.ADMIN)
def hide_product(product_id: int):
    return _act(moderation.hide_product, product_id, True, _("Product hidden."))


@bp.post("/products/<int:product_id>/unhide")
@allow(Role.STAFF, Role.ADMIN)
def unhide_product(product_id: int):
    return _act(moderation.unhide_product, product_id, False, _("Product visible again."))


@bp.post("/businesses/<int:business_id>/suspend")
@allow(Role.STAFF, Role.ADMIN)
def suspend_business(business_id: int):
    return _act(moderation.suspend_business, business_id, True, _("Storefront suspended."))


@bp.post("/businesses/<int:business_id>/reinstate")
@allow(Role.STAFF, Role.ADMIN)
def reinstate_business(business_id: int):
    return _act(moderation.reinstate_business, business_id, False,
                _("Storefront reinstated as a draft; the owner can reopen it."))
