"""The program staff's pages: assigning mentors (workload and history), "needs support" flags, support
given, notes (each read audit-logged) and the impact report with its CSV and print version.
Staff see their own program only; the platform admin chooses one with ``?program_id=``."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from marketplace.core.policy import Role, allow, signed_in_user
from marketplace.mentoring import assignments, check_ins, impact, support
from marketplace.mentoring.charts import bar_chart
from marketplace.mentoring.errors import MentoringError
from marketplace.mentoring.forms import ActionForm, AssignForm, ImpactFilterForm, SupportForm
from marketplace.mentoring.views.blueprint import bp
from marketplace.mentoring.views.common import LABELS, form_errors_flash, refuse, save_from_record
from marketplace.programs.models import Program
from marketplace.programs.views.choosing import choose_program, program_in_scope


def _home_url(program: Program) -> str:
    return url_for("mentoring.staff_home", program_id=program.id if signed_in_user().role == Role.ADMIN else None)


@bp.get("/staff")
@allow(Role.STAFF, Role.ADMIN)
def staff_home():
    program = program_in_scope()
    if program is None:
        return choose_program("mentoring.staff_home")
    people = assignments.program_people(program.id)
    form = AssignForm().set_people(people.graduates, people.mentors)
    return render_template("mentoring/staff_home.html", program=program, people=people, form=form,
                           action_form=ActionForm(), admin=signed_in_user().role == Role.ADMIN)


@bp.post("/staff/assign")
@allow(Role.STAFF, Role.ADMIN)
def assign():
    program = program_in_scope()
    if program is None:
        abort(404)
    people = assignments.program_people(program.id)
    form = AssignForm().set_people(people.graduates, people.mentors)
    if not form.validate_on_submit():
        form_errors_flash(form)
        return redirect(_home_url(program))
    try:
        assignments.assign_mentor(signed_in_user(), form.graduate_id.data, form.mentor_id.data)
    except MentoringError as error:
        return refuse(error, _home_url(program))
    flash(_("Mentor assigned."), "success")
    return redirect(_home_url(program))


@bp.post("/staff/graduates/<int:graduate_id>/end")
@allow(Role.STAFF, Role.ADMIN)
def end_assignment(graduate_id: int):
    program = program_in_scope()
    if program is None or not ActionForm().validate_on_submit():
        abort(404 if program is None else 400)
    try:
        assignments.end_assignment(signed_in_user(), graduate_id)
    except MentoringError as error:
        return refuse(error, _home_url(program))
    flash(_("The assignment has ended."), "success")
    return redirect(_home_url(program))


@bp.get("/staff/graduates/<int:graduate_id>/notes")
@allow(Role.STAFF, Role.ADMIN)
def staff_notes(graduate_id: int):
    try:
        graduate, notes = check_ins.notes_for_staff(signed_in_user(), graduate_id)
    except MentoringError:
        abort(404)
    return render_template("mentoring/staff_notes.html", graduate=graduate, check_ins=notes, labels=LABELS)


@bp.post("/staff/graduates/<int:graduate_id>/support")
@allow(Role.STAFF, Role.ADMIN)
def add_support(graduate_id: int):
    return save_from_record(
        graduate_id, SupportForm(), "support_form",
        lambda form: support.record_support(signed_in_user(), graduate_id, kind=form.kind.data,
                                            description=form.description.data, amount_idr=form.amount_idr.data,
                                            given_on=form.given_on.data),
        _("Support recorded."), "#support")


@bp.post("/staff/check-ins/<int:check_in_id>/resolve")
@allow(Role.STAFF, Role.ADMIN)
def resolve_flag(check_in_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        check_ins.resolve_support_flag(signed_in_user(), check_in_id)
    except MentoringError as error:
        return refuse(error, url_for("mentoring.staff_home"))
    flash(_("Marked as handled."), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                    else url_for("mentoring.staff_home"))


def _impact(program: Program):
    form = ImpactFilterForm(request.args)
    form.set_cohorts([])
    first, last = form.month("first"), form.month("last", end=True)
    cohort_id = form.cohort_id.data if isinstance(form.cohort_id.data, int) and form.cohort_id.data > 0 else None
    if (form.first.data or form.last.data) and (first is None or last is None):
        raise MentoringError("bad_period")
    report = impact.impact_report(program.id, cohort_id, first, last)
    form.set_cohorts(report.cohorts)
    return form, report


@bp.get("/staff/impact")
@allow(Role.STAFF, Role.ADMIN)
def impact_page():
    program = program_in_scope()
    if program is None:
        return choose_program("mentoring.impact_page")
    try:
        form, report = _impact(program)
    except MentoringError as error:
        if error.status == 404:
            abort(404)
        flash(error.message, "error")
        form, report = ImpactFilterForm(), impact.impact_report(program.id, None, None, None)
        form.set_cohorts(report.cohorts)
        status = 400
    else:
        status = 200
    chart = bar_chart([(m.month, 0 if m.revenue_idr.suppressed else m.revenue_idr.value) for m in report.months])
    csv_args = {k: v for k, v in request.args.items() if k in ("first", "last", "cohort_id", "program_id")}
    return render_template("mentoring/impact.html", program=program, report=report, form=form, chart=chart,
                           labels=LABELS, csv_url=url_for("mentoring.impact_csv", **csv_args)), status


@bp.get("/staff/impact.csv")
@allow(Role.STAFF, Role.ADMIN)
def impact_csv():
    program = program_in_scope()
    if program is None:
        abort(404)
    try:
        _form, report = _impact(program)
    except MentoringError as error:
        abort(404 if error.status == 404 else 400)
    body = impact.impact_csv(report, csv_labels())
    name = f"dampak-{program.slug}-{report.first:%Y-%m}-{report.last:%Y-%m}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def csv_labels() -> dict[str, str]:
    return {
        "metric": _("Metric"), "value": _("Value"), "period": _("Period"), "cohort": _("Cohort"),
        "all": _("All cohorts"), "graduates": _("Graduates"), "with_business": _("Graduates with a storefront"),
        "active_businesses": _("Businesses that sold in the period"), "orders": _("Orders"),
        "revenue_idr": _("Revenue (Rp)"), "mentored": _("Graduates with a mentor now"),
        "check_ins": _("Check-ins in the period"),
        "checked_in_recently": _("Mentored graduates met in the last 30 days"),
        "retention": _("Still selling %(n)d months after the first sale"),
        "support": _("Graduates supported"), "support_amount": _("Support given (Rp)"),
        "support_revenue": _("Their revenue in the period (Rp)"), "sellers": _("Businesses that sold"),
        "applications": _("Job applications"), "hires": _("Hires"),
        **{k: str(v) for k, v in LABELS["support"].items()},
    }
