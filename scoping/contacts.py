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

import functools
import re
import unicodedata
from typing import Any

# email_validator and phonenumbers are imported where they are used: the commands that
# normalise no contact point (every investigation command) do not pay their 40 ms of import.

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


@functools.cache
def _phone_types() -> dict[int, str]:
    import phonenumbers

    return {
        phonenumbers.PhoneNumberType.MOBILE: "mobile",
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "mobile",
        phonenumbers.PhoneNumberType.FIXED_LINE: "fixed",
    }


_FOLD_LETTERS = re.compile("[" + "".join(chr(c) for c in FOLD) + "]")


class _Marks(dict[int, int | None]):
    """A str.translate table that drops combining marks, filled in as characters are met:
    each character's combining class is looked up once, not once per name."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """A name or address as compared when matching people; never shown."""
    if text.isascii():
        # Normalisation and the letter table leave ASCII as it is; casefold is lower.
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        if _FOLD_LETTERS.search(text):  # rare; translating with FOLD is slow
            text = text.translate(FOLD)
        text = unicodedata.normalize("NFKD", text).translate(_MARKS)
    return _SEPARATORS.sub(" ", text).strip()


def fold_all(texts: list[str]) -> list[str]:
    """fold() of each text, word by word: every step of the fold keeps a blank where it is
    and treats the characters around it apart, so a text folds as its words (split at the
    blank) folded and joined by one blank, the words that fold to nothing left out. Addresses
    and names repeat their words (a street, a town, a postal code) far more than they repeat
    whole: each distinct word is folded once."""
    known: dict[str, str] = {}
    folded = []
    for text in texts:
        words = []
        for word in text.split(" "):
            done = known.get(word)
            if done is None:
                done = known[word] = fold(word)
            if done:
                words.append(done)
        folded.append(" ".join(words))
    return folded


# The first characters that make a spreadsheet read a cell as a formula (OWASP CSV
# injection). An address beginning with one (`=1+1@example.com`, `-x@example.com`) is valid
# for email-validator, but a file for Excel must neutralise it, which changes the address
# the mailer gets: it is no usable contact point (invalid_contact), and never altered.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def normal_email(raw: str) -> str | None:
    """A syntactically valid address, folded to lower case (domain and local part), or None.

    Only syntax is checked (no DNS). The local part is folded too: providers treat it
    case-insensitively in practice, and two spellings of one address must match.
    """
    import email_validator

    try:
        checked = email_validator.validate_email(raw.strip(), check_deliverability=False)
    except email_validator.EmailNotValidError:
        return None
    if checked.normalized.startswith(FORMULA_START):
        return None  # see FORMULA_START
    return checked.normalized.lower()


def special_use_domains() -> list[str]:
    """Top-level names email-validator refuses (invalid, test, localhost, ...)."""
    import email_validator

    return [name.lower() for name in email_validator.SPECIAL_USE_DOMAIN_NAMES]


def normal_phone(raw: str, region: str) -> tuple[str | None, str]:
    """(E.164 or None, type): type is mobile, fixed, other, or invalid.

    A value that begins with a formula character other than the `+` of an international
    number (`=32470000002`, `-0470...`) is invalid, as such an email is: phonenumbers would
    repair it into a number the person may never have given (see FORMULA_START)."""
    import phonenumbers

    if raw.lstrip().startswith(tuple(c for c in FORMULA_START if c != "+")):
        return None, "invalid"
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, "invalid"
    if not phonenumbers.is_valid_number(number):
        return None, "invalid"
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, _phone_types().get(phonenumbers.number_type(number), "other")


OTHER_TYPES = (
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)
NEVER = r"[^\s\S]"  # RE2 has no lookahead: an empty class matches nothing


def region_patterns(region: str) -> dict[str, Any]:
    """The phonenumbers metadata of a region that the SQL fast path needs (see
    queries/phone_fast_path.sql). The national prefix is left empty where the region
    transforms national numbers in other ways, so that only phonenumbers reads those."""
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(region.upper())
    if meta is None:
        raise ValueError(region)

    def pattern(kind: str) -> str | None:
        desc = getattr(meta, kind, None)
        return desc.national_number_pattern if desc is not None else None

    def lengths(kind: str) -> list[int]:
        # phonenumbers checks a type's possible lengths before its pattern.
        desc = getattr(meta, kind, None)
        own = list(desc.possible_length) if desc is not None and desc.possible_length else []
        general = meta.general_desc
        return own or (list(general.possible_length or []) if general is not None else [])

    others = [p for p in (pattern(k) for k in OTHER_TYPES) if p]
    # Where regions share a calling code (+1: US, CA, ...; +358: FI, AX), phonenumbers
    # tries each of them: the region's own patterns do not decide, so SQL settles nothing.
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(meta.country_code or 0, ())
    desc = meta.general_desc
    national = desc.national_number_pattern if desc is not None else None
    simple = meta.national_prefix_transform_rule is None and (
        meta.national_prefix_for_parsing in (None, meta.national_prefix)
    )
    return {
        "country_code": str(meta.country_code),
        "international_prefix": meta.international_prefix or "00",
        "national_prefix": (meta.national_prefix or "") if simple else "",
        "mobile_pattern": pattern("mobile") or NEVER,
        "fixed_pattern": pattern("fixed_line") or NEVER,
        "mobile_lengths": lengths("mobile"),
        "fixed_lengths": lengths("fixed_line"),
        "other_pattern": "|".join(f"(?:{p})" for p in others) or NEVER,
        "general_pattern": national if national and len(regions) == 1 else NEVER,
    }
