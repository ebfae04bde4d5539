from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import Form


class PayoutForm(Form):
    amount_idr = IntegerField(_l("Amount (Rp)"), validators=[InputRequired(_l("Enter the amount.")),
                                                             NumberRange(min=1, message=_l("Enter the amount."))])
    reference = StringField(_l("Bank transfer reference"),
                            validators=[InputRequired(_l("Enter the transfer reference.")), Length(max=120)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])
