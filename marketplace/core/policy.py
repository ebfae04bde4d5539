"""Who may call what: the one place where roles and authorization are declared and enforced.

Roles are the ``Role`` enum (stored on ``User.role``), plus two that exist only in a request: ``GUEST``
(not signed in) and ``PARTNER_PENDING`` (a partner firm awaiting approval).

Every view declares its roles with ``@allow(...)``: ``@allow(Role.GRADUATE)``, ``@allow(Role.STAFF,
Role.ADMIN)``, ``@allow(PUBLIC)``. A ``before_request`` hook (``enforce``) checks the declaration for
every request, and refuses endpoints that declare nothing (deny by default). The authorization matrix
test walks the URL map and these declarations together.

Object-level rules are small named functions below (``owns_business``, ``same_program``, ...). Views and
services call them once they have loaded the object; a view answers 404 when one says no, so ids of
other people's things cannot be probed.
"""
from __future__ import annotations

import enum
from collections.abc import Callable, Iterable

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user


class Role(str, enum.Enum):
    CUSTOMER = "customer"
    GRADUATE = "graduate"
    MENTOR = "mentor"
    PARTNER = "partner"
    STAFF = "staff"
    ADMIN = "admin"


GUEST = "guest"
PARTNER_PENDING = "partner_pending"

ALL_ROLES: frozenset[str] = frozenset({GUEST} | {role.value for role in Role})
SIGNED_IN: frozenset[str] = ALL_ROLES - {GUEST}
PUBLIC = ALL_ROLES
# Endpoints Flask registers by itself; they serve files only.
_BUILTIN_PUBLIC = {"static"}


def role_names(*roles: Role | str | Iterable[Role | str]) -> frozenset[str]:
    """Roles and sets of roles as plain names (``user.role`` is a plain string); refuses unknown ones."""
    names: set[str] = set()
    for role in roles:
        for one in ([role] if isinstance(role, str) else role):
            names.add(one.value if isinstance(one, Role) else one)
    unknown = names - ALL_ROLES - {PARTNER_PENDING}
    if unknown:
        raise ValueError(f"unknown roles in policy: {sorted(unknown)}")
    return frozenset(names)


def allow(*roles: Role | str | Iterable[Role | str]) -> Callable:
    """Declare which roles may reach a view: ``@allow(Role.CUSTOMER, GUEST)``, ``@allow(PUBLIC)``."""
    allowed = role_names(*roles)
    if PARTNER_PENDING in allowed:
        raise ValueError("a pending partner reaches the pages every signed-in user may reach, no others")

    def mark(view: Callable) -> Callable:
        view.allowed_roles = allowed
        return view

    return mark


def role_of(user) -> str:
    if user is None or not user.is_authenticated:
        return GUEST
    # A partner firm waiting for approval acts as a signed-in user with no partner powers yet.
    if user.role == Role.PARTNER.value and not user.is_approved:
        return PARTNER_PENDING
    return user.role


def admits(roles: frozenset[str], role: str) -> bool:
    """Whether ``roles`` (a view's, or a header link's) let ``role`` in. A partner firm waiting for
    approval gets what every signed-in user gets (account pages, public pages), not partner pages."""
    return role in roles or (role == PARTNER_PENDING and SIGNED_IN <= roles)


def allowed_roles(endpoint: str | None) -> frozenset[str] | None:
    if endpoint is None:
        return None
    if endpoint in _BUILTIN_PUBLIC:
        return ALL_ROLES
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def enforce():
    """``before_request``: let the request through, send guests to log in, or answer 403."""
    if request.endpoint is None:  # no route matched: Flask answers 404/405 itself
        return None
    roles = allowed_roles(request.endpoint)
    if roles is None:
        current_app.logger.error("endpoint %s declares no policy; refused", request.endpoint)
        abort(403)
    role = role_of(current_user)
    if admits(roles, role):
        return None
    if role == GUEST:
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    abort(403)


def signed_in_user():
    """The real ``User`` behind Flask-Login's proxy: services and sessions must never hold the proxy
    (``login_user(proxy)`` makes ``current_user`` point at itself)."""
    return current_user._get_current_object()


# Object-level checks -------------------------------------------------------------------------
# Plain attribute checks on whatever object was loaded, so every domain can use them without this
# module importing any domain's models.


def has_role(user, *roles: Role) -> bool:
    return user is not None and user.is_authenticated and user.role in {role.value for role in roles}


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def same_program(staff, person) -> bool:
    """Staff act only on people of their own program; the platform admin on everyone."""
    if is_admin(staff):
        return True
    return (
        has_role(staff, Role.STAFF)
        and staff.program_id is not None
        and staff.program_id == getattr(person, "program_id", None)
    )


def owns_business(user, business) -> bool:
    """The storefront belongs to the user (graduates own at most one)."""
    return user is not None and user.is_authenticated and business is not None and business.owner_id == user.id


def owns_product(user, product) -> bool:
    return product is not None and owns_business(user, product.business)


def sells_part(user, part) -> bool:
    """The order part (one seller's share of an order) is for the user's storefront."""
    return part is not None and owns_business(user, part.business)


def placed_order(user, order) -> bool:
    """The signed-in customer placed the order (a guest's order is tied to their browser instead)."""
    return user is not None and user.is_authenticated and order is not None and order.user_id == user.id


def handles_money_of(staff, business) -> bool:
    """Staff confirm payments and record payouts for their own program's storefronts; the admin for all."""
    return business is not None and same_program(staff, business.owner)


def handles_money_of_order(staff, order) -> bool:
    """One bank transfer pays a whole order, which may hold parts of sellers of several programs: the
    staff of any program one of its sellers belongs to may confirm that transfer and record its refunds
    (the same rule as the list of orders waiting for payment); the admin for every order."""
    return order is not None and any(handles_money_of(staff, part.business) for part in order.parts)


def may_moderate(staff, business) -> bool:
    """Staff moderate the storefronts of their own program's graduates; the admin every storefront."""
    return business is not None and same_program(staff, business.owner)


# Partner firms and the job board (marketplace/jobs): a firm's members act for it, applicants for
# their own applications; anything else answers 404.


def member_of_firm(user, firm) -> bool:
    """An approved partner listed among the firm's members now (removal takes effect on the next request)."""
    return (user.is_authenticated and user.role == Role.PARTNER.value and user.is_approved and firm is not None
            and user.id in firm.member_user_ids)


def owner_of_firm(user, firm) -> bool:
    return member_of_firm(user, firm) and any(
        m.user_id == user.id and m.role == "owner" for m in firm.members)


def firm_reads_application(user, application) -> bool:
    """The firm's members read an application to one of its vacancies, and nothing else about the person."""
    return application is not None and member_of_firm(user, application.vacancy.firm)


def applicant_of(user, application) -> bool:
    return user.is_authenticated and application is not None and application.applicant_id == user.id


def may_moderate_jobs(user) -> bool:
    """Firms are partners of every program: any program's staff and the admin approve and suspend them."""
    return user.is_authenticated and (user.role == Role.ADMIN.value
                                      or (user.role == Role.STAFF.value and user.program_id is not None))


# Mentoring (marketplace/mentoring): a graduate's record is read by the graduate (never the mentor's
# private notes), by their mentor only while assigned (a previous mentor keeps nothing after a change),
# and by their program's staff, who read notes only through mentoring.check_ins.notes_for_staff (each
# read written to the audit log). Staff of another program, other mentors and graduates: 404.


def is_graduate_self(user, graduate) -> bool:
    return user.is_authenticated and user.role == Role.GRADUATE and user.id == graduate.id


def mentors_now(user, assignment) -> bool:
    """The user is the graduate's mentor today (``assignment`` is the current one, or None)."""
    return (user.is_authenticated and user.role == Role.MENTOR and assignment is not None
            and assignment.ended_at is None and assignment.mentor_id == user.id)


def is_program_staff(user, graduate) -> bool:
    return user.is_authenticated and user.role in (Role.STAFF, Role.ADMIN) and same_program(user, graduate)


def may_view_record(user, graduate, assignment) -> bool:
    """Figures, goals, milestones, check-ins (without notes), actions and support."""
    return is_graduate_self(user, graduate) or mentors_now(user, assignment) or is_program_staff(user, graduate)


def may_read_shared_notes(user, graduate, assignment) -> bool:
    """Check-in notes the graduate may read too (staff reads go through the audit log)."""
    return is_graduate_self(user, graduate) or mentors_now(user, assignment)


def may_read_private_notes(user, assignment) -> bool:
    return mentors_now(user, assignment)


def may_mentor(user, assignment) -> bool:
    """Set goals, record check-ins and milestones: the current mentor only."""
    return mentors_now(user, assignment)
