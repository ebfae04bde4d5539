"""A small program: staff, two mentors, two graduates with storefronts; and a second program."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from marketplace.mentoring import assignments
from tests import factories


@dataclass
class World:
    program: object
    cohort: object
    staff: User
    mentor: User
    mentor2: User
    graduate: User
    graduate2: User
    business: object
    business2: object
    other_staff: User
    other_mentor: User


@pytest.fixture
def world():
    program = factories.program()
    cohort = factories.cohort(program)
    staff = factories.user("staff", program_id=program.id, name="Staf Satu")
    mentor = factories.user("mentor", program_id=program.id, name="Mentor Satu")
    mentor2 = factories.user("mentor", program_id=program.id, name="Mentor Dua")
    graduate = factories.user("graduate", program_id=program.id, cohort_id=cohort.id, name="Lulusan Satu")
    graduate2 = factories.user("graduate", program_id=program.id, cohort_id=cohort.id, name="Lulusan Dua")
    business, business2 = factories.business(graduate), factories.business(graduate2)
    other = factories.program()
    other_staff = factories.user("staff", program_id=other.id)
    other_mentor = factories.user("mentor", program_id=other.id)
    db.session.commit()
    return World(program, cohort, staff, mentor, mentor2, graduate, graduate2, business, business2, other_staff,
                 other_mentor)


@pytest.fixture
def assigned(world):
    assignments.assign_mentor(world.staff, world.graduate.id, world.mentor.id)
    return world
