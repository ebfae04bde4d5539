from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from marketplace.core.forms import Form, RupiahField


class PayoutForm(Form):
    amount_idr = RupiahField(_l("Amount (Rp)"), validators=[InputRequired(_l("Enter the amount.")),
                                                             NumberRange(min=1, message=_l("Enter the amount."))])
    reference = StringField(_l("Bank transfer reference"),
                            validators=[InputRequired(_l("Enter the transfer reference.")), Length(max=120)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


class TransferReceivedForm(Form):
    """Staff: what the bank statement says arrived for one order's transfer."""

    amount_idr = RupiahField(_l("Amount that arrived (Rp)"),
                             validators=[InputRequired(_l("Enter the amount that arrived.")),
                                         NumberRange(min=1, message=_l("Enter the amount that arrived."))])
    accept_excess = BooleanField(_l("Accept more than due and owe the difference back to the customer"))


class RefundSentForm(Form):
    reference = StringField(_l("Bank reference of the refund transfer"),
                            validators=[InputRequired(_l("Enter the bank reference of the transfer.")),
                                        Length(max=120)])


class StatementUploadForm(Form):
    statement = FileField(_l("Bank statement (mutasi rekening), CSV"),
                          validators=[FileRequired(_l("Choose the CSV file of the bank statement."))])
