import hashlib
import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from marketplace.accounts import forms, invitations, privacy, services, tokens
from marketplace.accounts.errors import (
    EmailNotVerified,
    EmailTaken,
    InvalidCredentials,
    InvitationUnusable,
    LastAdmin,
    LinkInvalid,
    WeakPassword,
    WrongPassword,
)
from marketplace.core import nav
from marketplace.core.errors import DomainError, InvalidPhone, show_error
from marketplace.core.nav import register_nav
from marketplace.core.policy import GUEST, PUBLIC, SIGNED_IN, allow, role_of, signed_in_user
from marketplace.core.safety import safe_next_url
from marketplace.core.timeutil import utcnow
from marketplace.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")

# A partner firm awaiting approval is signed in too (``policy.role_of`` calls it partner_pending).
register_nav(_l("My account"), "accounts.profile", SIGNED_IN, 80)
register_nav(_l("Register"), "accounts.register", {GUEST}, 90)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


# Every form that sends mail or creates accounts is throttled per IP.
throttled = limiter.limit(_login_limit, methods=["POST"], error_message="too_many_attempts")


def _failed_sign_in(response) -> bool:
    """Only a wrong email or password counts (401); a success, an unconfirmed address or a form
    with errors never does, so people sharing one Wi-Fi do not lock each other out."""
    return response.status_code == 401


def _account_key() -> str:
    # Hashed: the limiter's storage (Redis in production) holds no email addresses, and a huge
    # value in the form cannot make a huge key.
    email = services.normalise_email(request.form.get("email", ""))
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


# Limited per account (guesses spread over many IPs) and, higher, per IP (one guesser, many accounts).
failed_sign_ins_per_account = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_ACCOUNT"], key_func=_account_key, methods=["POST"],
    deduct_when=_failed_sign_in, error_message="too_many_attempts", scope="login-account")
failed_sign_ins_per_ip = limiter.limit(
    lambda: current_app.config["LOGIN_FAILURES_PER_IP"], methods=["POST"],
    deduct_when=_failed_sign_in, error_message="too_many_attempts", scope="login-ip")


def _home():
    return redirect(url_for("catalog.home"))


def _after_login(user, next_url: str | None):
    if not user.is_approved:
        return redirect(url_for("accounts.awaiting_approval"))
    return redirect(safe_next_url(next_url) or url_for("catalog.home"))


def _link_problem(error: DomainError, retry_endpoint: str | None = None):
    """An emailed link that cannot be used: its own page, with the way to ask for a new one."""
    return render_template("errors/link_problem.html", message=error.message, retry_endpoint=retry_endpoint), 400


# Signing in and out -------------------------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
@failed_sign_ins_per_ip
@failed_sign_ins_per_account
def login():
    if current_user.is_authenticated:
        return _home()
    form = forms.LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except EmailNotVerified:
            resend = forms.EmailOnlyForm(email=form.email.data)
            return render_template("accounts/login.html", form=form, unverified=True, resend_form=resend), 403
        except InvalidCredentials as exc:
            show_error(exc)
            return render_template("accounts/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        return _after_login(user, form.next.data)
    status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


def _sign_out_everywhere() -> None:
    """End the session on the server, not only in this browser: a copied session cookie or the
    remember-me cookie holds the old session version, which no request accepts any more. Nothing of
    the last person stays in the session (their orders, a checkout draft): a phone may be shared."""
    services.end_all_sessions(signed_in_user())
    _forget_this_browser()


def _forget_this_browser() -> None:
    """Sign this browser out and drop everything the session held for the person who leaves it."""
    session.clear()
    logout_user()  # after clear(): it asks for the remember-me cookie to be deleted too


@bp.post("/logout")
@allow(SIGNED_IN)
def logout():
    _sign_out_everywhere()
    flash(_("You are signed out."), "info")
    return _home()


@bp.post("/sign-out-everywhere")
@allow(SIGNED_IN)
def sign_out_everywhere():
    _sign_out_everywhere()
    flash(_("You are signed out on all your devices."), "info")
    return _home()


# Registration and email verification --------------------------------------------------------------


def _register(form, template: str, register):
    if current_user.is_authenticated:
        return _home()
    if form.validate_on_submit():
        try:
            register(form)  # an address that has an account gets an email instead: the same answer
        except WeakPassword as exc:
            show_error(exc, form.password)
        else:
            return render_template("accounts/check_email.html", email=services.normalise_email(form.email.data))
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form), status


@bp.route("/register", methods=["GET", "POST"])
@allow(PUBLIC)
@throttled
def register():
    return _register(forms.RegisterForm(), "accounts/register.html", lambda form: services.register_customer(
        email=form.email.data, name=form.name.data, password=form.password.data, locale=form.language.data))


@bp.route("/register/partner", methods=["GET", "POST"])
@allow(PUBLIC)
@throttled
def register_partner():
    return _register(forms.PartnerRegisterForm(), "accounts/register_partner.html",
                     lambda form: services.register_partner(
                         email=form.email.data, name=form.name.data, password=form.password.data,
                         organisation=form.organisation.data, locale=form.language.data))


@bp.get("/verify/<token>")
@allow(PUBLIC)
def verify_email(token: str):
    try:
        user = services.verify_email(token)
    except LinkInvalid as exc:
        return _link_problem(exc, "accounts.login")
    return render_template("accounts/verified.html", user=user)


@bp.post("/verify/resend")
@allow(PUBLIC)
@throttled
def resend_verification():
    form = forms.EmailOnlyForm()
    if not form.validate_on_submit():
        flash(_("Please enter a valid email address."), "error")
        return render_template("accounts/login.html", form=forms.LoginForm(), unverified=True,
                               resend_form=form), 400
    services.resend_verification(form.email.data)
    return render_template("accounts/check_email.html", email=services.normalise_email(form.email.data))


@bp.get("/pending")
@allow(SIGNED_IN)
def awaiting_approval():
    return render_template("accounts/awaiting_approval.html")


# Password reset and account set-up ---------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
@throttled
def forgot_password():
    form = forms.EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        # The same words whether or not the account exists: nobody can probe for addresses here.
        return render_template("accounts/reset_sent.html")
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/forgot_password.html", form=form), status


def _new_password_page(token: str, purpose: str, title: str):
    try:
        user = services.user_for_password_token(token, purpose)
    except LinkInvalid as exc:
        return _link_problem(exc, "accounts.forgot_password")
    form = forms.NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data, purpose)
        except WeakPassword as exc:
            show_error(exc, form.password)
        except LinkInvalid as exc:
            return _link_problem(exc, "accounts.forgot_password")
        else:
            if current_user.is_authenticated:
                _forget_this_browser()
            flash(_("Your password is set. Please sign in."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/new_password.html", form=form, title=title, user=user), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset_password(token: str):
    return _new_password_page(token, tokens.PASSWORD_RESET, _("Choose a new password"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def set_up_account(token: str):
    return _new_password_page(token, tokens.ACCOUNT_SETUP, _("Set up your account"))


# Invitations -------------------------------------------------------------------------------------

def _invitation_problem(error: InvitationUnusable):
    # A used invitation most likely made this person's account: offer the way in.
    return _link_problem(error, retry_endpoint="accounts.login" if error.code == "invitation_used" else None)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@throttled
def accept_invitation(token: str):
    try:
        invitation = invitations.open_invitation(token)
    except InvitationUnusable as exc:
        return _invitation_problem(exc)
    form = forms.AcceptInvitationForm(name=invitation.name)
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, name=form.name.data, password=form.password.data,
                                                 locale=form.language.data)
        except InvitationUnusable as exc:
            return _invitation_problem(exc)
        except EmailTaken as exc:
            show_error(exc)
            return redirect(url_for("accounts.login"))
        except WeakPassword as exc:
            show_error(exc, form.password)
        else:
            if current_user.is_authenticated:  # someone else's session: nothing of it is carried over
                _forget_this_browser()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for(nav.home_endpoint(role_of(user))))  # a graduate: "My shop" and its checklist
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/accept_invitation.html", form=form, invitation=invitation), status


# My account ----------------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@allow(SIGNED_IN)
def profile():
    form = forms.ProfileForm(obj=current_user, language=current_user.locale)
    if form.validate_on_submit():
        try:
            services.update_profile(signed_in_user(), name=form.name.data, phone=form.phone.data,
                                    locale=form.language.data)
        except InvalidPhone as exc:
            show_error(exc, form.phone)
        else:
            flash(_("Your details are saved."), "success")
            return redirect(url_for("accounts.profile"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/profile.html", form=form), status


@bp.route("/password", methods=["GET", "POST"])
@allow(SIGNED_IN)
def change_password():
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(signed_in_user(), current_password=form.current_password.data,
                                            new_password=form.password.data)
        except WrongPassword as exc:
            show_error(exc, form.current_password)
        except WeakPassword as exc:
            show_error(exc, form.password)
        else:
            # The new session version ends every other session; this one is signed in again.
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(user, remember=remembered)
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for("accounts.profile"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/change_password.html", form=form), status


@bp.get("/data.json")
@allow(SIGNED_IN)
def download_data():
    data = {"exported_at": utcnow().isoformat(), "data": privacy.collect_user_data(current_user)}
    return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                    mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="pasar-bangkit-my-data.json"',
                             "Cache-Control": "no-store"})


@bp.route("/delete", methods=["GET", "POST"])
@allow(SIGNED_IN)
def delete_account():
    form = forms.DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(signed_in_user(), password=form.password.data)
        except WrongPassword as exc:
            show_error(exc, form.password)
        except LastAdmin as exc:
            show_error(exc)
        else:
            _forget_this_browser()
            flash(_("Your account is deleted. Thank you for being part of Pasar Bangkit."), "success")
            return _home()
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/delete_account.html", form=form), status
