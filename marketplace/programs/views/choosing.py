"""The "which program?" step of the staff areas that work in one program at a time (this domain's staff
home, mentoring's and the job board's staff pages): staff always work in their own program; the admin,
who belongs to none, names one with ``?program_id=`` and is shown the list of programs until they do."""
from __future__ import annotations

from flask import abort, render_template, request

from marketplace.core.ids import parse_id
from marketplace.core.policy import signed_in_user
from marketplace.programs import services
from marketplace.programs.models import Program


def program_in_scope() -> Program | None:
    """The signed-in staff member's program, or the one the admin named (None: not chosen yet). Staff
    without a program, and an admin naming a program that does not exist, get a 404."""
    program_id = request.args.get("program_id", type=parse_id)
    program = services.program_for(signed_in_user(), program_id)
    if program is None and program_id is not None:
        abort(404)
    return program


def choose_program(endpoint: str, status: int = 200):
    """The admin's list of programs, each a link to ``endpoint`` in that program."""
    return render_template("programs/choose_program.html", programs=services.all_programs(),
                           endpoint=endpoint), status
