"""The base of every form on the site."""
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms.widgets import HiddenInput


class Form(FlaskForm):
    """A FlaskForm whose hidden fields (the CSRF token above all) carry no id: a page with several
    forms would otherwise repeat ``id="csrf_token"``, and ids must be unique on a page."""

    def hidden_tag(self, *fields):
        named = (getattr(self, f, None) if isinstance(f, str) else f for f in (fields or self))
        tags = "\n".join(str(f(id=False)) for f in named if f is not None and isinstance(f.widget, HiddenInput))
        return Markup(tags)  # nosec B704  # WTForms escapes the values of the fields it renders
