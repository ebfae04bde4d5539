"""Indonesian phone numbers, as people type them, in one canonical form."""
import phonenumbers


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
