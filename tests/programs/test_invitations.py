"""Program staff invite graduates and mentors by a signed, expiring, single-use, revocable link."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import invitations
from marketplace.accounts.models import Invitation, User
from marketplace.core.audit import AuditLog
from marketplace.core.timeutil import utcnow
from tests import factories
from tests.accounts.helpers import link_path

ACCEPT = {"name": "Dedi Setiawan", "password": "anyaman bambu rapi", "confirm": "anyaman bambu rapi", "language": "en"}
SENSITIVE_WORDS = ("rehab", "drug", "narkoba", "addict", "recovery")


@pytest.fixture
def staff():
    program = factories.program(name="Bina Usaha Aftercare")
    user = factories.user("staff", program_id=program.id)
    factories.db.session.commit()
    return user


def user_count() -> int:
    return factories.db.session.execute(select(func.count()).select_from(User)).scalar_one()


def invite(client, staff, **fields):
    cohort = factories.cohort(staff.program)
    factories.db.session.commit()
    data = {"role": "graduate", "name": "Dedi", "email": "dedi@example.com", "cohort_id": cohort.id,
            "language": "id", **fields}
    return client.post("/staff/invitations", data=data), cohort


def test_staff_invite_a_graduate_who_accepts_and_joins_their_cohort(client, login_as, staff, outbox):
    login_as(staff)
    response, cohort = invite(client, staff)
    assert response.status_code == 302
    [message] = outbox("dedi@example.com")
    assert message.template == "invitation"
    assert "Bina Usaha Aftercare" in message.body and "program" in message.body.lower()
    text = (message.subject + message.body).lower()
    assert not any(word in text for word in SENSITIVE_WORDS)

    client.post("/account/logout")
    accept_path = link_path(message)
    page = client.get(accept_path)
    assert page.status_code == 200 and b"dedi@example.com" in page.data
    done = client.post(accept_path, data=ACCEPT)
    assert done.status_code == 302
    user = factories.accounts.find_user_by_email("dedi@example.com")
    assert (user.role, user.program_id, user.cohort_id) == ("graduate", staff.program_id, cohort.id)
    assert user.name == "Dedi Setiawan" and user.locale == "en" and user.email_verified_at is not None
    assert client.get("/account/").status_code == 200  # signed in
    invitation = factories.db.session.execute(select(Invitation)).scalar_one()
    assert invitation.used_at is not None and invitation.accepted_user_id == user.id
    actions = set(factories.db.session.execute(select(AuditLog.action)).scalars())
    assert {"invitation.create", "invitation.accept"} <= actions


def test_a_mentor_needs_no_cohort_but_a_graduate_does(client, login_as, staff, outbox):
    login_as(staff)
    no_cohort, _ = invite(client, staff, cohort_id=0)
    assert no_cohort.status_code == 400 and b"cohort" in no_cohort.data
    mentor, _ = invite(client, staff, role="mentor", cohort_id=0, email="hendra@example.com")
    assert mentor.status_code == 302
    assert [m.to for m in outbox()] == ["hendra@example.com"]


@pytest.mark.parametrize("change, message", [
    ({"email": "not an email"}, b"valid email address"),
    ({"role": "admin"}, b"Not a valid choice"),
    ({"name": ""}, b"This field is required"),
])
def test_bad_invitation_forms_are_400_and_send_nothing(client, login_as, staff, outbox, change, message):
    login_as(staff)
    response, _ = invite(client, staff, **change)
    assert response.status_code == 400 and message in response.data
    assert outbox() == []


def test_inviting_an_existing_account_is_refused(client, login_as, staff, outbox):
    factories.user(email="dedi@example.com")
    login_as(staff)
    response, _ = invite(client, staff, email="DEDI@example.com")
    assert response.status_code == 400 and b"already exists" in response.data
    assert outbox() == []


@pytest.mark.parametrize("state, words", [
    ({"expires_at": utcnow() - timedelta(minutes=1)}, b"expired"),
    ({"used_at": utcnow()}, b"already been used"),
    ({"revoked_at": utcnow()}, b"withdrawn"),
])
def test_expired_used_and_revoked_invitations_create_nothing(client, state, words):
    invitation = factories.invitation(**state)
    factories.db.session.commit()
    path = f"/account/invitation/{invitations.invitation_token(invitation)}"
    before = user_count()
    assert client.get(path).status_code == 400
    response = client.post(path, data=ACCEPT)
    assert response.status_code == 400 and words in response.data
    assert user_count() == before


def test_an_invitation_works_only_once(client):
    invitation = factories.invitation()
    factories.db.session.commit()
    path = f"/account/invitation/{invitations.invitation_token(invitation)}"
    assert client.post(path, data=ACCEPT).status_code == 302
    client.post("/account/logout")
    before = user_count()
    again = client.post(path, data={**ACCEPT, "name": "Someone Else"})
    assert again.status_code == 400 and b"already been used" in again.data
    assert user_count() == before


def test_forged_invitation_links_create_nothing(client):
    invitation = factories.invitation()
    factories.db.session.commit()
    genuine = invitations.invitation_token(invitation)
    from marketplace.accounts import tokens

    other_purpose = tokens.make_token(tokens.VERIFY_EMAIL, {"i": invitation.id})
    before = user_count()
    for token in ("forged", genuine[:-2] + "xx", other_purpose):
        response = client.post(f"/account/invitation/{token}", data=ACCEPT)
        assert response.status_code == 400 and b"not valid" in response.data
    assert user_count() == before


def test_a_weak_password_on_the_accept_page_keeps_the_invitation_open(client):
    invitation = factories.invitation()
    factories.db.session.commit()
    path = f"/account/invitation/{invitations.invitation_token(invitation)}"
    response = client.post(path, data={**ACCEPT, "password": "short", "confirm": "short"})
    assert response.status_code == 400 and b"too easy to guess" in response.data
    factories.db.session.expire_all()
    assert factories.db.session.get(Invitation, invitation.id).used_at is None


def test_staff_revoke_an_open_invitation(client, login_as, staff):
    invitation = factories.invitation(staff.program, invited_by=staff)
    login_as(staff)
    response = client.post(f"/staff/invitations/{invitation.id}/revoke")
    assert response.status_code == 302
    factories.db.session.expire_all()
    assert factories.db.session.get(Invitation, invitation.id).revoked_at is not None
    assert factories.db.session.execute(
        select(AuditLog).where(AuditLog.action == "invitation.revoke")).scalar_one().actor_id == staff.id


def test_staff_home_lists_only_their_own_program(client, login_as, staff):
    other_program = factories.program(name="Other Program")
    factories.user("graduate", name="Graduate Of A", program_id=staff.program_id)
    factories.user("mentor", name="Mentor Of A", program_id=staff.program_id)
    factories.user("graduate", name="Graduate Of B", program_id=other_program.id)
    factories.invitation(other_program, name="Invitee Of B")
    factories.cohort(other_program, name="Cohort Of B")
    login_as(staff)
    page = client.get("/staff/").data
    assert b"Graduate Of A" in page and b"Mentor Of A" in page
    assert b"Of B" not in page


def test_staff_of_another_program_can_neither_see_nor_act(client, login_as, staff, outbox):
    other_program = factories.program()
    other_cohort = factories.cohort(other_program)
    their_graduate = factories.user("graduate", program_id=other_program.id)
    their_invitation = factories.invitation(other_program)
    login_as(staff)

    assert client.get(f"/staff/people/{their_graduate.id}").status_code == 404
    assert client.post(f"/staff/invitations/{their_invitation.id}/revoke").status_code == 404
    factories.db.session.expire_all()
    assert factories.db.session.get(Invitation, their_invitation.id).revoked_at is None
    # Their cohort is not among the choices, and naming it directly is refused.
    response = client.post("/staff/invitations", data={"role": "graduate", "name": "X", "email": "x@example.com",
                                                       "cohort_id": other_cohort.id, "language": "id"})
    assert response.status_code == 400
    assert outbox() == []
    # Choosing another program by query string changes nothing for staff.
    page = client.get(f"/staff/?program_id={other_program.id}").data
    assert staff.program.name.encode() in page


def test_staff_read_their_own_people_and_the_read_is_logged(client, login_as, staff):
    graduate = factories.user("graduate", name="Sari", program_id=staff.program_id)
    login_as(staff)
    assert b"Sari" in client.get(f"/staff/people/{graduate.id}").data
    entry = factories.db.session.execute(select(AuditLog).where(AuditLog.action == "person.read")).scalar_one()
    assert (entry.actor_id, entry.subject_id) == (staff.id, graduate.id)


def test_the_admin_picks_a_program_and_may_act_in_it(client, login_as, outbox):
    program = factories.program(name="Chosen Program")
    cohort = factories.cohort(program)
    login_as("admin")
    assert b"Chosen Program" in client.get("/staff/").data
    assert b"Chosen Program" in client.get(f"/staff/?program_id={program.id}").data
    response = client.post(f"/staff/invitations?program_id={program.id}", data={
        "role": "graduate", "name": "Wati", "email": "wati@example.com", "cohort_id": cohort.id, "language": "en"})
    assert response.status_code == 302
    assert [m.to for m in outbox()] == ["wati@example.com"]


def test_other_roles_cannot_reach_the_staff_area(client, login_as):
    for role in ("customer", "graduate", "mentor", "partner"):
        login_as(role)
        assert client.get("/staff/").status_code == 403, role


def test_an_expired_invitation_is_sent_again_in_its_language_and_only_the_new_link_works(
        client, login_as, staff, outbox):
    login_as(staff)
    invite(client, staff, language="en")
    [first] = outbox("dedi@example.com")
    old = factories.db.session.execute(select(Invitation)).scalar_one()
    old.expires_at = utcnow() - timedelta(days=1)
    factories.db.session.commit()
    assert b"Send again" in client.get("/staff/").data

    response = client.post(f"/staff/invitations/{old.id}/resend")
    assert response.status_code == 302
    assert "the earlier link no longer works" in client.get(response.headers["Location"]).get_data(as_text=True)
    first, second = outbox("dedi@example.com")
    assert second.template == "invitation" and second.body != first.body
    new = factories.db.session.execute(select(Invitation).where(Invitation.id != old.id)).scalar_one()
    assert (new.cohort_id, new.role, new.name, new.locale, invitations.invitation_status(new)) == (
        old.cohort_id, "graduate", "Dedi", "en", "open")
    assert factories.db.session.execute(
        select(AuditLog).where(AuditLog.action == "invitation.resend")).scalar_one().subject_id == new.id

    client.post("/account/logout")
    assert client.post(link_path(first), data=ACCEPT).status_code == 400
    assert client.post(link_path(second), data=ACCEPT).status_code == 302


def test_resending_an_open_invitation_withdraws_the_old_link(client, login_as, staff, outbox):
    invitation = factories.invitation(staff.program, invited_by=staff)
    login_as(staff)
    assert client.post(f"/staff/invitations/{invitation.id}/resend").status_code == 302
    factories.db.session.expire_all()
    assert invitations.invitation_status(factories.db.session.get(Invitation, invitation.id)) == "revoked"
    assert len(outbox(invitation.email)) == 1


@pytest.mark.parametrize("state", [{"used_at": utcnow()}, {"revoked_at": utcnow()}])
def test_accepted_or_withdrawn_invitations_are_not_sent_again(client, login_as, staff, outbox, state):
    invitation = factories.invitation(staff.program, invited_by=staff, **state)
    login_as(staff)
    response = client.post(f"/staff/invitations/{invitation.id}/resend", follow_redirects=True)
    assert b"cannot be sent again" in response.data
    assert outbox() == []
    assert factories.db.session.execute(select(func.count()).select_from(Invitation)).scalar_one() == 1


def test_an_invitation_is_not_resent_to_an_address_that_has_joined_meanwhile(client, login_as, staff, outbox):
    invitation = factories.invitation(staff.program, invited_by=staff)
    factories.user("customer", email=invitation.email)
    login_as(staff)
    response = client.post(f"/staff/invitations/{invitation.id}/resend", follow_redirects=True)
    assert b"already exists" in response.data
    assert outbox() == []
    factories.db.session.expire_all()
    assert invitations.invitation_status(factories.db.session.get(Invitation, invitation.id)) == "open"


def test_staff_cannot_resend_another_programs_invitation(client, login_as, staff, outbox):
    their_invitation = factories.invitation(factories.program())
    login_as(staff)
    assert client.post(f"/staff/invitations/{their_invitation.id}/resend").status_code == 404
    assert outbox() == []
