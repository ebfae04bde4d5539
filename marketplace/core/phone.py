"""Indonesian phone numbers, as people type them, in one canonical form."""
import phonenumbers

from marketplace.core.errors import InvalidPhone


def indonesian_e164(raw: str | None) -> str | None:
    """``0812-3456-7890`` or ``+62 812 3456 7890`` -> ``+6281234567890``; None when it is not a valid
    Indonesian number (empty input included)."""
    try:
        number = phonenumbers.parse((raw or "")[:40], "ID")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_phone(raw: str | None) -> str | None:
    """A number as typed -> E.164; empty stays None; anything else raises ``InvalidPhone``."""
    if raw is None or not raw.strip():
        return None
    if (number := indonesian_e164(raw)) is None:
        raise InvalidPhone()
    return number
