"""The "which program?" step shared by the staff areas (programs/views/choosing.py): the admin is shown
every program, each linking to the page they asked for in that program; staff go straight to their own;
a program that does not exist, or staff without one, get a 404."""
import re

import pytest

from marketplace.extensions import db
from tests import factories

AREAS = ["/staff/", "/mentoring/staff", "/mentoring/staff/impact", "/staff/jobs/placements", "/staff/jobs/pelatihan"]


@pytest.mark.parametrize("path", AREAS)
def test_the_admin_chooses_a_program_and_lands_on_the_same_page_in_it(client, login_as, path):
    first, second = factories.program(name="Bina Usaha Banyuwangi"), factories.program(name="Bangkit Jember")
    login_as("admin")
    page = client.get(path).get_data(as_text=True)
    assert "Choose a program" in page
    links = dict((name, href) for href, name in re.findall(r'<a href="([^"]+\?program_id=\d+)">([^<]+)</a>', page))
    assert links["Bina Usaha Banyuwangi"] == f"{path}?program_id={first.id}"
    assert links["Bangkit Jember"] == f"{path}?program_id={second.id}"
    chosen = client.get(f"{path}?program_id={second.id}")
    assert chosen.status_code == 200 and "Bangkit Jember" in chosen.get_data(as_text=True)
    assert client.get(f"{path}?program_id=999999999").status_code == 404


@pytest.mark.parametrize("path", AREAS)
def test_staff_work_in_their_own_program_only(client, login_as, path):
    own, other = factories.program(name="Bina Usaha Banyuwangi"), factories.program(name="Bangkit Jember")
    login_as("staff", program_id=own.id)
    page = client.get(f"{path}?program_id={other.id}").get_data(as_text=True)
    assert "Bina Usaha Banyuwangi" in page and "Bangkit Jember" not in page
    login_as("staff", program_id=None)
    db.session.commit()
    assert client.get(path).status_code == 404
