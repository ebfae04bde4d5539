"""The programs domain's blueprints, one module per area: ``staff`` (a program's cohorts and people,
invitations, partner approval: ``programs`` at ``/staff``) and ``admin`` (programs, cohorts, staff accounts,
the development outbox: ``admin`` at ``/admin``). Templates under ``templates/programs/`` and
``templates/programs/admin/``."""
from marketplace.programs.views import admin, staff

blueprints = [staff.bp, admin.bp]
