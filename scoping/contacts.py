"""Contact points and names, normalised once per distinct value.

`phonenumbers` parses about 20k numbers a second and `email-validator` is not much faster,
so neither ever sees a row: each sees the distinct raw values of the records that need them,
and the results go back to DuckDB as lookup tables (raw value -> normalised value) that the
SQL joins. Phone numbers already written in E.164 for the case's region take a fast path in
SQL, checked against the region's own number patterns from the phonenumbers metadata.

Names are normalised for matching only (outputs keep the original spelling): NFKC, case
folding, an explicit table for the letters that decomposition misses (ø, ł, æ, œ, ß, ...),
accents removed after NFKD, and punctuation and runs of blanks folded to one space.
"""

from __future__ import annotations

import re
import unicodedata

import email_validator
import phonenumbers

# Letters NFKD does not decompose into a base letter and a mark.
FOLD = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",  # noqa: RUF001
        "ħ": "h",
        "ŀ": "l",
    }
)
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)
_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
    phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
}


def fold(text: str) -> str:
    """A name or address as compared when matching people; never shown."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(FOLD)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text).strip()


def normal_email(raw: str) -> str | None:
    """A syntactically valid address, folded to lower case (domain and local part), or None.

    Only syntax is checked (no DNS). The local part is folded too: providers treat it
    case-insensitively in practice, and two spellings of one address must match.
    """
    try:
        checked = email_validator.validate_email(raw.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    return checked.normalized.lower()


def normal_phone(raw: str, region: str) -> tuple[str | None, str]:
    """(E.164 or None, type): type is mobile, fixed, other, or invalid."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, "invalid"
    if not phonenumbers.is_valid_number(number):
        return None, "invalid"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _PHONE_TYPES.get(phonenumbers.number_type(number), "other")


def region_patterns(region: str) -> tuple[str, str, str]:
    """(country code, mobile pattern, fixed pattern) of a region, for the SQL fast path."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    if meta is None:
        raise ValueError(region)
    code = str(meta.country_code)
    never = r"[^\s\S]"  # RE2 has no lookahead: an empty class matches nothing
    mobile = (meta.mobile.national_number_pattern if meta.mobile else None) or never
    fixed = (meta.fixed_line.national_number_pattern if meta.fixed_line else None) or never
    return code, mobile, fixed
