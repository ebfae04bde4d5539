"""Public job pages: the listing with search and filters, a vacancy page, joining a firm by invitation."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from marketplace.accounts import forms as account_forms
from marketplace.accounts import services as accounts
from marketplace.core.nav import register_nav
from marketplace.core.policy import PUBLIC, allow
from marketplace.core.text import plain_text, shorten
from marketplace.core.timeutil import jakarta_today
from marketplace.jobs import applications, digest, firms
from marketplace.jobs import listing as board
from marketplace.jobs.errors import JobsError
from marketplace.jobs.forms import EMPLOYMENT_TYPES, STAGES, TRAINING_KINDS
from marketplace.jobs.models import EmploymentType
from marketplace.jobs.pagecache import PAGES
from marketplace.jobs.views.common import int_arg, page_arg

bp = Blueprint("jobs", __name__)
register_nav(_l("Jobs"), "jobs.listing", PUBLIC, 25)

SCHEMA_EMPLOYMENT = {
    EmploymentType.FULL_TIME.value: "FULL_TIME",
    EmploymentType.PART_TIME.value: "PART_TIME",
    EmploymentType.CONTRACT.value: "CONTRACTOR",
    EmploymentType.APPRENTICESHIP.value: "INTERN",
}


@bp.app_template_global()
def employment_type_label(value: str) -> str:
    return str(EMPLOYMENT_TYPES.get(value, value))


VACANCY_STATUSES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "filled": _l("Filled")}
FIRM_STATUSES = {"pending": _l("Waiting for approval"), "approved": _l("Approved"), "rejected": _l("Rejected"),
                 "suspended": _l("Suspended")}


@bp.app_template_global()
def training_kind_label(value: str) -> str:
    return str(TRAINING_KINDS.get(value, value))


@bp.app_template_global()
def stage_label(value: str) -> str:
    return str(STAGES.get(value, value))


@bp.app_template_global()
def vacancy_status_label(value: str) -> str:
    return str(VACANCY_STATUSES.get(value, value))


@bp.app_template_global()
def firm_status_label(value: str) -> str:
    return str(FIRM_STATUSES.get(value, value))


def _page_urls(page: board.Page) -> tuple[str | None, str | None]:
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    prev_url = url_for("jobs.listing", **args, page=page.page - 1) if page.has_prev else None
    next_url = url_for("jobs.listing", **args, page=page.page + 1) if page.has_next else None
    return prev_url, next_url


@bp.get("/lowongan")
@allow(PUBLIC)
def listing():
    return PAGES.render(_render_listing, jakarta_today())


def _render_listing(**context) -> str:
    query = (request.args.get("q") or "")[:1000]
    city = (request.args.get("kota") or "")[:80]
    etype = request.args.get("jenis") or ""
    skill = (request.args.get("keahlian") or "")[:40]
    min_salary = int_arg("gaji")
    remote = request.args.get("jarak_jauh") == "1"
    page = board.browse(board.Browse(query=query, city=city, employment_type=etype, skill=skill,
                                     min_salary=min_salary, remote=remote, page=page_arg(),
                                     per_page=int(current_app.config.get("JOBS_PAGE_SIZE", 20))))
    prev_url, next_url = _page_urls(page)
    return render_template("jobs/listing.html", page=page, query=query, city=city, etype=etype, skill=skill,
                           min_salary=min_salary, remote=remote, cities=board.listing_cities(),
                           types=EMPLOYMENT_TYPES, prev_url=prev_url, next_url=next_url, **context)


@bp.get("/lowongan/<int:vacancy_id>")
@allow(PUBLIC)
def vacancy(vacancy_id: int):
    return PAGES.render(_render_vacancy, jakarta_today(), vacancy_id=vacancy_id)


def _render_vacancy(vacancy_id: int, **context) -> str:
    found = board.public_vacancy(vacancy_id)
    if found is None:
        abort(404)
    page_url = current_app.config["PUBLIC_URL"] + url_for("jobs.vacancy", vacancy_id=found.id)
    description = plain_text(found.description)
    applied = (current_user.is_authenticated and current_user.role == "graduate"
               and applications.already_applied(current_user, found.id))
    return render_template(
        "jobs/vacancy.html", vacancy=found, firm=found.firm, page_url=page_url, summary=shorten(description),
        json_ld=job_posting_json_ld(found, page_url, description), applied=applied,
        share_url="https://wa.me/?text=" + quote(f"{found.title} - {found.firm.legal_name} - {page_url}", safe=""),
        **context)


def job_posting_json_ld(vacancy, page_url: str, description: str) -> dict:
    """schema.org JobPosting, so that search engines list the vacancy."""
    data: dict = {
        "@context": "https://schema.org", "@type": "JobPosting", "title": vacancy.title,
        "description": description or vacancy.title, "url": page_url,
        "identifier": {"@type": "PropertyValue", "name": vacancy.firm.legal_name, "value": str(vacancy.id)},
        "datePosted": (vacancy.published_at or vacancy.created_at).date().isoformat(),
        "validThrough": vacancy.closes_on.isoformat() + "T23:59:59+07:00",
        "employmentType": SCHEMA_EMPLOYMENT.get(vacancy.employment_type, "OTHER"),
        "hiringOrganization": {"@type": "Organization", "name": vacancy.firm.legal_name},
        "totalJobOpenings": vacancy.openings,
        "directApply": True,
    }
    if vacancy.city:
        data["jobLocation"] = {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": vacancy.city, "addressCountry": "ID"}}
    if vacancy.remote:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "Indonesia"}
    if vacancy.skill_list:
        data["skills"] = ", ".join(vacancy.skill_list)
    if vacancy.salary_min_idr is not None or vacancy.salary_max_idr is not None:
        value: dict = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if vacancy.salary_min_idr is not None:
            value["minValue"] = vacancy.salary_min_idr
        if vacancy.salary_max_idr is not None:
            value["maxValue"] = vacancy.salary_max_idr
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "IDR", "value": value}
    return data


@bp.route("/mitra/gabung/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def join_firm(token: str):
    """A colleague invited by a firm's owner creates their account here."""
    try:
        invitation = firms.open_firm_invitation(token)
    except JobsError as exc:
        return render_template("errors/link_problem.html", message=exc.message, retry_endpoint=None), 400
    form = account_forms.AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            user = firms.join_firm(token, name=form.name.data, password=form.password.data,
                                      locale=form.language.data)
        except JobsError as exc:
            return render_template("errors/link_problem.html", message=exc.message,
                                   retry_endpoint=None), 400
        except accounts.EmailTaken:
            flash(_("An account with this email address already exists. Please sign in."), "error")
            return redirect(url_for("accounts.login"))
        except accounts.WeakPassword:
            form.password.errors.append(_("This password is too easy to guess. Use at least "
                                          "%(n)d characters and avoid common passwords.",
                                          n=accounts.MIN_PASSWORD_LENGTH))
        else:
            logout_user()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("jobs_firm.dashboard"))
    status = 400 if request.method == "POST" else 200
    return render_template("jobs/join_firm.html", form=form, invitation=invitation), status


@bp.get("/lowongan/berhenti/<token>")
@allow(PUBLIC)
def stop_digest(token: str):
    """One click from the weekly email: no more digests (the graduate can turn it on again in the profile)."""
    try:
        digest.stop_digest(token)
    except JobsError as exc:
        return render_template("errors/link_problem.html", message=exc.message, retry_endpoint=None), 400
    return render_template("jobs/digest_stopped.html")
