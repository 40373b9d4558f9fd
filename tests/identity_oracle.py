"""An independent Polars oracle for the person identity rule behind `recipients.csv`.

Written from the rule in prose only (never from `queries/*.sql`, `scoping/recipients.py` or
`scoping/contacts.py`). The normalisers are plain Python applied once per distinct value; the
linking and the connected components are Polars joins iterated to a fixed point, a different
method from whatever the pipeline uses, so that agreement means something.

The rule, in short: two records are the same person when their folded first name, folded last
name and birth date are all present and equal, and they share an email, a mobile number or a
folded address. A person is a connected component of such links; it is a recipient when one of
its records is affected.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import datetime

import phonenumbers
import polars as pl
from email_validator import EmailNotValidError, validate_email

KEY = "customer_key"
FIRST, LAST, BIRTH, EMAIL = "first_name", "last_name", "birth_date", "email"
PHONES = ("phone_mobile", "phone_fixed")
ADDRESS = ("street", "house_number", "postal_code", "city")
COLUMNS = (KEY, FIRST, LAST, BIRTH, EMAIL, *PHONES, *ADDRESS)

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = {"ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d", "þ": "th",
            "ı": "i", "ħ": "h", "ŀ": "l"}  # fmt: skip  # noqa: RUF001
_NON_WORD = re.compile(r"[\W_]+")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY_FIRST = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}")
_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE,
                 phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}  # fmt: skip
# Prefix for the oracle's own columns.
_P = "__id_"

# ---------------------------------------------------------------------------------------------
# Normalisers: one value in, one matching value (or None) out
# ---------------------------------------------------------------------------------------------


def fold(text: str | None) -> str | None:
    """A name (or an address line) folded for matching; None when nothing is left."""
    if text is None:
        return None
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(_LETTERS.get(ch, ch) for ch in folded)
    folded = "".join(
        ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch)
    )
    folded = _NON_WORD.sub(" ", folded).strip()
    return folded or None


def birth_date(text: str | None) -> str | None:
    """`yyyy-mm-dd` or `d/m/yyyy` (day first, one or two digits) as an ISO date, after
    removing surrounding blanks as every value is; anything else (or no such day) is None.
    """
    if text is None:
        return None
    text = text.strip(" \t\r\n\u00a0\ufeff")
    for pattern, fmt in zip((_ISO, _DAY_FIRST), _DATE_FORMATS, strict=True):
        if pattern.fullmatch(text):
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                return None
    return None


def email(text: str | None) -> str | None:
    """The validator's normalised address, lower-cased; None when it is not a valid address."""
    if text is None:
        return None
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def mobile(text: str | None) -> str | None:
    """A valid mobile number (read with Belgium as the default region) in E.164, else None."""
    if text is None or not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def recipient_id(keys: Iterable[str]) -> str:
    """ "R-" and 16 hex digits of the SHA-256 of the person's sorted keys joined by "|"."""
    digest = hashlib.sha256("|".join(sorted(keys)).encode("utf-8")).hexdigest()
    return "R-" + digest[:16]


# ---------------------------------------------------------------------------------------------
# Polars steps
# ---------------------------------------------------------------------------------------------


def _per_distinct(
    frame: pl.DataFrame, column: str, fn: Callable[[str | None], str | None], out: str
) -> pl.DataFrame:
    """Add `out` = fn(column), computing fn once per distinct non-null value."""
    values = frame.get_column(column).drop_nulls().unique().to_list()
    lookup = pl.DataFrame(
        {column: values, out: [fn(v) for v in values]},
        schema={column: pl.String, out: pl.String},
    )
    return frame.join(lookup, on=column, how="left")


def _normalised(customers: pl.DataFrame) -> pl.DataFrame:
    """One row per record: key, block parts and the three kinds of contact point."""
    raw_address = pl.concat_str(
        [
            pl.col(c).str.strip_chars().replace("", None)  # blanks dropped
            for c in ADDRESS
        ],
        separator=" ",
        ignore_nulls=True,
    )
    frame = customers.select(
        pl.col(KEY).str.strip_chars().alias(f"{_P}key"),
        *(pl.col(c) for c in (FIRST, LAST, BIRTH, EMAIL, *PHONES)),
        raw_address.alias(f"{_P}raw_address"),
    )
    steps: list[tuple[str, Callable[[str | None], str | None], str]] = [
        (FIRST, fold, f"{_P}first"),
        (LAST, fold, f"{_P}last"),
        (BIRTH, birth_date, f"{_P}birth"),
        (EMAIL, email, f"{_P}email"),
        *((p, mobile, f"{_P}mobile_{i}") for i, p in enumerate(PHONES)),
        (f"{_P}raw_address", fold, f"{_P}address"),
    ]
    for column, fn, out in steps:
        frame = _per_distinct(frame, column, fn, out)
    return frame


def _contact_points(records: pl.DataFrame) -> pl.DataFrame:
    """Long table (key, block, point) for records whose block is complete."""
    block = pl.concat_str(f"{_P}first", f"{_P}last", f"{_P}birth", separator="\x1f")
    complete = records.filter(
        pl.col(f"{_P}first").is_not_null()
        & pl.col(f"{_P}last").is_not_null()
        & pl.col(f"{_P}birth").is_not_null()
    ).with_columns(block.alias(f"{_P}block"))
    # Both phone columns give mobiles of the same kind: any one may match any other.
    kinds = [("email", "email"), ("mobile", "mobile_0"), ("mobile", "mobile_1"),
             ("address", "address")]  # fmt: skip
    parts = [
        complete.select(
            f"{_P}key",
            f"{_P}block",
            pl.concat_str(pl.lit(kind + ":"), pl.col(f"{_P}{column}")).alias(f"{_P}point"),
        )
        for kind, column in kinds
    ]
    return pl.concat(parts).drop_nulls(f"{_P}point").unique()


def _links(records: pl.DataFrame) -> pl.DataFrame:
    """Undirected links (a, b) between distinct records of the same block sharing a point."""
    points = _contact_points(records)
    pairs = points.join(points, on=[f"{_P}block", f"{_P}point"], suffix="_b")
    return (
        pairs.filter(pl.col(f"{_P}key") != pl.col(f"{_P}key_b"))
        .select(pl.col(f"{_P}key").alias("a"), pl.col(f"{_P}key_b").alias("b"))
        .unique()
    )


def _components(keys: pl.Series, links: pl.DataFrame) -> pl.DataFrame:
    """(key, label): the smallest key reachable through links, by min-label propagation."""
    labels = pl.DataFrame({"a": keys}).unique().with_columns(pl.col("a").alias("label"))
    while True:
        offered = (
            links.join(labels.rename({"a": "b", "label": "offer"}), on="b")
            .group_by("a")
            .agg(pl.col("offer").min())
        )
        updated = labels.join(offered, on="a", how="left").select(
            "a", pl.min_horizontal("label", "offer").alias("label")
        )
        if updated.sort("a").equals(labels.sort("a")):
            return labels.rename({"a": "key"})
        labels = updated


def expected_persons(customers: pl.DataFrame, affected: Iterable[str]) -> pl.DataFrame:
    """The expected recipients: recipient_id, customer_keys and affected_keys, sorted by id.

    `customers` holds the columns in `COLUMNS` as text (empty cells as null); `affected` the
    keys of the records that had at least one field exposed.
    """
    records = _normalised(customers)
    labels = _components(records.get_column(f"{_P}key"), _links(records))
    hit = set(affected)
    persons = (
        labels.with_columns(pl.col("key").is_in(list(hit)).alias("affected"))
        .group_by("label")
        .agg(
            pl.col("key").sort().str.join("|").alias("customer_keys"),
            pl.col("key").filter(pl.col("affected")).sort().str.join("|").alias("affected_keys"),
            pl.col("affected").any().alias("any_affected"),
        )
        .filter(pl.col("any_affected"))
    )
    ids = persons.get_column("customer_keys").map_elements(
        lambda joined: recipient_id(joined.split("|")), return_dtype=pl.String
    )
    return persons.select(ids.alias("recipient_id"), "customer_keys", "affected_keys").sort(
        "recipient_id"
    )
