"""From affected customer records to people to notify: identity, channels, language, waves.

Customer records are not people. Two records are the same person only on strong evidence
(the case's person column, or equal folded first name, last name and birth date AND a shared
email, mobile number or postal address); people are the connected components of those
links. Wrong merges are worse than duplicates: a family sharing an email, or twins at one
address, stay separate people and are flagged `shared_contact` instead.

The numbers come from queries/ (recipient_*, person_*, recipients, notify_*); this module
orders the steps, builds the one view that maps the case's fields to fixed names, and feeds
the distinct values that need Python libraries to scoping.contacts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scoping import contacts, db, linkage, outputs
from scoping.case import Case, Identity, Recipients
from scoping.errors import CaseError, InputError, QueryError
from scoping.hashing import sha256_file

# Labels of common categories; a case adds or overrides them in [recipients.labels].
DEFAULT_LABELS: dict[str, dict[str, str]] = {
    "name": {"nl": "naam", "fr": "nom", "de": "Name", "en": "name"},
    "address": {"nl": "adres", "fr": "adresse", "de": "Adresse", "en": "address"},
    "email": {
        "nl": "e-mailadres",
        "fr": "adresse e-mail",
        "de": "E-Mail-Adresse",
        "en": "email address",
    },
    "birth_date": {
        "nl": "geboortedatum",
        "fr": "date de naissance",
        "de": "Geburtsdatum",
        "en": "date of birth",
    },
    "phone": {
        "nl": "telefoonnummer",
        "fr": "numéro de téléphone",
        "de": "Telefonnummer",
        "en": "phone number",
    },
}
MACROS = ("macro_csv_safe", "macro_category_labels")
REPORTS = {
    "recipients.csv": "recipients_report",
    "notify_email.csv": "notify_email",
    "notify_sms.csv": "notify_sms",
    "notify_letter.csv": "notify_letter",
    "no_contact.csv": "no_contact",
}
# With probabilistic linkage, the review queue is written beside the recipient lists.
REVIEW = {"merge_review.csv": "merge_review_report"}
COUNTS = ("count_recipients", "count_recipients_by", "count_recipients_first_exposure")
MAX_STEPS = 10_000
# Dropped once recipient_contacts holds what they led to. name_lookup, recipient_emails and
# recipient_phones stay: the look-up index reads every record's folded names, email and
# phone numbers from them (lookup.write_index drops them).
WORK_TABLES = (
    "recipient_candidates",
    "address_slow_path",
    "address_lookup",
    "email_fast_path",
    "email_slow_path",
    "phone_fast_path",
    "phone_numbers",
    "phone_kinds",
    "phone_slow_path",
)


@dataclass(frozen=True)
class Built:
    """What building the recipients took: normaliser inputs and component iterations, and
    what identity linkage did (for the manifest)."""

    distinct_values: dict[str, int]
    label_steps: int
    identity: dict[str, Any] = field(default_factory=dict)


def build(con: duckdb.DuckDBPyConnection, case: Case, previous: list[Path]) -> Built:
    """Compute the `recipients` table for a case whose exposure is computed."""
    r = case.recipients
    assert r is not None
    _case_tables(con, case, r)
    for name in MACROS:
        db.run(con, name)
    _load_previous(con, previous)
    _load_decisions(con, r.identity)
    # With the customer table stored, the first statement that changes rows in place (the
    # identity links' UPDATE) set off the engine's automatic checkpoint, which compacts the
    # in-memory tables: 2 to 3 s at 1M customers, for a database that is never written out.
    con.execute("SET checkpoint_threshold = '1TB'")
    db.run_sql(con, "recipient_source", _source_table(case, r))
    names = [row[0] for row in db.run(con, "recipient_raw_names").fetchall()]
    # A name or address that folds to nothing (only punctuation) is no name: never a match.
    _lookup(con, "name_lookup", names, [f or None for f in contacts.fold_all(names)])
    probabilistic = r.identity.method == "probabilistic" and r.person_column is None
    db.run(con, "recipient_candidates", {"everyone": probabilistic})
    addresses = [row[0] for row in db.run(con, "recipient_raw_addresses").fetchall()]
    _lookup(con, "address_slow_path", addresses, [f or None for f in contacts.fold_all(addresses)])
    db.run(con, "address_lookup")
    db.run(con, "contact_records")
    emails, phones = normalise_contacts(con, case)
    db.run(con, "recipient_contacts")
    # recipient_contacts, recipient_emails and recipient_phones hold all the candidates'
    # columns and contact points: the steps that led to them are done with, and free their
    # memory.
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP VIEW IF EXISTS contact_records")
    db.run(con, "person_links")
    identity: dict[str, Any] = {}
    steps = 0
    db.run(con, "linkage_pairs")
    db.run(con, "linkage_held")
    if r.person_column is None:
        db.run(con, "person_links_different")
        db.run(con, "person_links_same")
        if probabilistic:
            identity, steps = _probabilistic(con, r.identity)
    steps += _components(con, by_person_column=r.person_column is not None)
    db.run(con, "merge_review")
    db.run(con, "review_labels")
    _settle(con, "review_label_step")
    identity["decisions"] = _decision_counts(con, r.identity)
    db.run(
        con,
        "recipient_options",
        {
            "channels": list(r.channels),
            "minor_age": r.minor_age,
            "notification_date": r.notification_date,
            "default_language": r.default_language,
        },
    )
    db.run(con, "recipients")
    _check_labels(con, case)
    db.run(con, "recipient_labels")
    return Built(
        {
            "names": len(names),
            "addresses": len(addresses),
            "emails": emails,
            "phones_parsed": phones,
        },
        steps,
        identity,
    )


def normalise_contacts(con: duckdb.DuckDBPyConnection, case: Case) -> tuple[int, int]:
    """recipient_emails and recipient_phones, every email and phone value of the records of
    the view contact_records (every record: the recipients' and the look-up index's)
    normalised: SQL settles the plain values where they lie, the libraries the distinct rest.
    Returns how many distinct emails and phones went to the libraries."""
    r = case.recipients
    assert r is not None
    db.run(con, "email_fast_path", {"special_domains": contacts.special_use_domains()})
    emails = [row[0] for row in db.run(con, "recipient_raw_emails").fetchall()]
    _lookup(con, "email_slow_path", emails, [contacts.normal_email(e) for e in emails], "email")
    db.run(con, "recipient_emails")
    try:
        patterns = contacts.region_patterns(r.default_region)
    except ValueError:
        raise CaseError(
            f"{case.path}: [recipients.default_region] unknown region {r.default_region!r}",
            'use a two-letter region code such as "BE"',
        ) from None
    db.run(con, "phone_fast_path", patterns)
    phones = [row[0] for row in db.run(con, "recipient_raw_phones").fetchall()]
    parsed = [contacts.normal_phone(p, r.default_region) for p in phones]
    _lookup(con, "phone_numbers", phones, [p[0] for p in parsed], "e164")
    _lookup(con, "phone_kinds", phones, [p[1] for p in parsed], "kind")
    db.run(con, "phone_slow_path")
    db.run(con, "recipient_phones")
    return len(emails), len(phones)


# Tables of the identity rule that the investigation commands offer, and nothing reads once
# the recipient lists are written (recipient_phones, which the look-up index reads, is
# dropped with the index's work tables).
IDENTITY_TABLES = ("recipient_contacts", "person_links", "person_labels")


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Free the memory of the identity rule's tables; `recipients`, the labels and the
    phones stay."""
    for table in IDENTITY_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def _changed(cur: duckdb.DuckDBPyConnection) -> bool:
    row = cur.fetchone()
    return bool(row and row[0])


def _settle(con: duckdb.DuckDBPyConnection, step: str) -> int:
    """Run a connected-components step until nothing changes; the number of steps."""
    steps = 0
    while _changed(db.run(con, step)):
        steps += 1
        if steps > MAX_STEPS:
            raise InputError("the identity links did not settle", "report this as a bug")
    return steps


def _components(con: duckdb.DuckDBPyConnection, *, by_person_column: bool) -> int:
    """person_labels: one label per person, the connected components of person_links."""
    db.run(con, "person_labels", {"by_person_column": by_person_column})
    return 0 if by_person_column else _settle(con, "person_label_step")


def _probabilistic(
    con: duckdb.DuckDBPyConnection, identity: Identity
) -> tuple[dict[str, Any], int]:
    """Probabilistic links on top of the rule's and the reviewers': scored pairs
    (linkage_pairs), the automatic ones added to person_links, then those of would-be persons
    that are too large or join records kept apart taken out again (linkage_held)."""
    db.run(con, "macro_identity_guard")
    db.run(con, "macro_identity_evidence")
    db.run(con, "linkage_input")
    model = linkage.predict(con, identity.review)
    db.run(con, "linkage_pairs_scored", {"review": identity.review})
    con.execute("DROP TABLE IF EXISTS linkage_predictions")
    db.run(con, "person_links_probable", {"auto_merge": identity.auto_merge})
    steps = _components(con, by_person_column=False)
    db.run(con, "linkage_held_chains", {"max_records": identity.max_records})
    db.run(con, "person_links_held")
    con.execute("DROP TABLE IF EXISTS linkage_input")
    figures = db.fetch_dicts(con, "count_linkage")[0]
    return {
        "model": {
            "seed": linkage.SEED,
            "probability_two_random_records_match": model.probability_two_random_records_match,
            "parameters": model.parameters,
        },
        "pairs_scored": model.pairs_scored,
        **figures,
    }, steps


def _load_decisions(con: duckdb.DuckDBPyConnection, identity: Identity) -> None:
    """The reviewers' decisions (identity_decisions), applied before any link is made."""
    db.run(con, "identity_decisions")
    path = identity.decisions
    if path is None:
        return
    _read_file(
        con,
        "identity_decisions_read",
        path,
        ("the decisions file of [recipients.identity] is not found",
         "check the path (relative to the case file), or remove `decisions`"),
        ("not a decisions file", "it needs the columns key_a, key_b, decision, who and when"),
    )  # fmt: skip
    bad = con.execute(
        "SELECT line FROM identity_decisions WHERE decision NOT IN ('same', 'different')"
        " ORDER BY line LIMIT 5"
    ).fetchall()
    if bad:
        lines = ", ".join(str(row[0]) for row in bad)
        raise InputError(
            f"{path}: a decision must be `same` or `different` (line {lines})",
            "leave `decision` blank for a pair not yet decided",
        )


def _decision_counts(con: duckdb.DuckDBPyConnection, identity: Identity) -> dict[str, Any]:
    """The decisions file's record for the manifest: path, hash and what became of its lines."""
    if identity.decisions is None:
        return {}
    figures = db.fetch_dicts(con, "count_decisions")[0]
    return {
        "path": str(identity.decisions),
        "sha256": sha256_file(identity.decisions),
        **figures,
    }


def _source_table(case: Case, r: Recipients) -> str:
    """recipient_source: the customer table under the fixed names the recipient SQL reads,
    every record, stored once. A table rather than a view: the names, the candidates and the
    look-up index read it some ten times, and each read of the customer table decodes every
    field and tests whether it is available (1.2 s a read at 1M customers, against 1.8 s to
    store it once). The address as one text (what the address lookups fold) is not stored:
    it is always the two address lines joined by a space (recipient_candidates joins them).

    The only SQL built from the case's names here; every name goes through quote_ident.
    """
    by_name = {f.name: f for f in case.customers.fields}

    def q(name: str) -> str:
        # A declared field's value only where it is available: a placeholder (`n/a`) or a
        # value of punctuation or invisible characters is no name and no contact point.
        field = by_name.get(name)
        if field is None:
            return db.quote_ident(name)
        return f"CASE WHEN (available_mask & {field.mask}) <> 0 THEN {db.quote_ident(name)} END"

    def text(name: str | None) -> str:
        return f"clean_text({q(name)})" if name else "CAST(NULL AS VARCHAR)"

    address = list(r.address)
    split = address.index(r.postal_code) if r.postal_code in address else len(address)
    line1 = ", ".join(text(a) for a in address[:split]) or "NULL"
    line2 = ", ".join(text(a) for a in address[split:]) or "NULL"
    complete = " AND ".join(f"{text(a)} IS NOT NULL" for a in address) or "false"
    phones = "[" + ", ".join(q(p) for p in r.phones) + "]" if r.phones else "CAST([] AS VARCHAR[])"
    refs = {
        "person_ref": r.person_column,
        "language_ref": r.language_column,
        "deceased_ref": r.deceased_column,
    }
    columns = [
        "customer_key",
        f"{q(r.first_name)} AS first_name",
        f"{q(r.last_name)} AS last_name",
        f"{q(r.birth_date)} AS birth_date",
        f"{q(r.email) if r.email else 'CAST(NULL AS VARCHAR)'} AS email",
        f"{phones} AS phones",
        f"nullif(concat_ws(' ', {line1}), '') AS address_line1",
        f"nullif(concat_ws(' ', {line2}), '') AS address_line2",
        f"({complete}) AS address_complete",
        f"{text(r.postal_code)} AS postal_code",
        *(
            f"{q(name) if column else 'CAST(NULL AS VARCHAR)'} AS {name}"
            for name, column in refs.items()
        ),
    ]
    return f"CREATE OR REPLACE TABLE recipient_source AS SELECT {', '.join(columns)} FROM customers"


def _case_tables(con: duckdb.DuckDBPyConnection, case: Case, r: Recipients) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE postal_languages (low INTEGER, high INTEGER, language VARCHAR)"
    )
    if r.postal_languages:
        con.executemany(
            "INSERT INTO postal_languages VALUES ($low, $high, $language)",
            [{"low": lo, "high": hi, "language": lang} for lo, hi, lang in r.postal_languages],
        )
    con.execute(
        "CREATE OR REPLACE TABLE category_label_table"
        " (category VARCHAR, language VARCHAR, label VARCHAR, position INTEGER)"
    )
    rows = []
    for position, category in enumerate(case.categories):
        labels = {**DEFAULT_LABELS.get(category, {}), **r.labels.get(category, {})}
        for language, label in labels.items():
            rows.append(
                {"category": category, "language": language, "label": label, "position": position}
            )
    if rows:
        con.executemany(
            "INSERT INTO category_label_table VALUES ($category, $language, $label, $position)",
            rows,
        )


def _check_labels(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    """Fail closed when a notice would name a category without a word in its language."""
    missing = con.execute(
        "SELECT DISTINCT c.category, l.lang FROM"
        " (SELECT DISTINCT unnest(category_set) AS category, language"
        "  FROM (SELECT DISTINCT category_set, language FROM recipients)) AS c,"
        " unnest(string_split(c.language, '+')) AS l(lang)"
        " WHERE NOT EXISTS (SELECT 1 FROM category_label_table AS t"
        "  WHERE t.category = c.category AND t.language = l.lang) ORDER BY 1, 2"
    ).fetchall()
    if missing:
        listed = ", ".join(f"{c} ({lang})" for c, lang in missing)
        raise CaseError(
            f"{case.path}: [recipients.labels] has no label for {listed}",
            'add them, e.g. [recipients.labels.CATEGORY] nl = "..."',
        )


def _load_previous(con: duckdb.DuckDBPyConnection, previous: list[Path]) -> None:
    """Earlier recipients.csv files: who was told, through which keys, about what."""
    con.execute(
        "CREATE OR REPLACE TABLE previous_recipients"
        " (recipient_id VARCHAR, match_key VARCHAR, categories VARCHAR[])"
    )
    for path in previous:
        _read_file(
            con,
            "load_previous_recipients",
            path,
            ("earlier recipient list not found", "check --previous"),
            ("not an earlier recipients.csv of scoping",
             "pass the recipients.csv of an earlier run"),
        )  # fmt: skip


def _read_file(
    con: duckdb.DuckDBPyConnection,
    query: str,
    path: Path,
    missing: tuple[str, str],
    unreadable: tuple[str, str],
) -> None:
    """Run the query that reads a file the user gave (bound as $path); a missing file, or one
    the query cannot read, is an input error naming the file: `missing` and `unreadable` are
    each the message and the hint."""
    if not path.is_file():
        raise InputError(f"{path}: {missing[0]}", missing[1])
    try:
        db.run(con, query, {"path": db.reader_path(path)})
    except QueryError as exc:
        raise InputError(f"{path}: {unreadable[0]} ({exc.message})", unreadable[1]) from None


def _lookup(
    con: duckdb.DuckDBPyConnection,
    name: str,
    raw: list[str],
    values: list[Any],
    column: str = "folded",
) -> None:
    """A lookup table (raw -> normalised) from two parallel lists, bound as two list
    parameters and unnested side by side: one statement, never row by row."""
    con.execute(
        f"CREATE OR REPLACE TABLE {db.quote_ident(name)} AS"
        f" SELECT unnest($raw) AS raw, unnest($values) AS {db.quote_ident(column)}",
        {"raw": raw or [""], "values": values or [None]},
    )
    if not raw:
        con.execute(f"DELETE FROM {db.quote_ident(name)}")


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    summary = db.fetch_dicts(con, "count_recipients")[0]
    by: dict[str, dict[str, int]] = {}
    for row in db.fetch_dicts(con, "count_recipients_by"):
        by.setdefault(row["dimension"], {})[row["value"]] = row["persons"]
    first = db.fetch_dicts(con, "count_recipients_first_exposure")
    return {**summary, **{f"per_{k}": v for k, v in by.items()}, "first_exposure": first}


def write_xlsx(con: duckdb.DuckDBPyConnection, query: str, path: Path) -> int:
    """A report query as an Excel workbook (outputs.write_xlsx), its values as the query
    gives them: csv_safe is the value itself from here on (macro_xlsx_text), as a text cell
    is never run as a formula. Called after the CSV files are written."""
    db.run(con, "macro_xlsx_text")
    body = db.query(query).text.strip().rstrip(";")
    select = outputs.output_query(con, query, body).select
    cur = db.run_sql(con, query, select)
    db.record(con, query)
    columns = [d[0] for d in cur.description or ()]
    return outputs.write_xlsx(columns, cur.fetchall(), path, path.stem)


def write_csv(con: duckdb.DuckDBPyConnection, query: str, path: Path, dialect: str) -> int:
    """COPY a report query to CSV; `excel-be` is `;`-separated UTF-8 with a byte-order mark,
    which a Belgian Excel needs to show accents."""
    if dialect == "excel-be":
        return outputs.copy_query(con, query, path, ";", bom=True)
    return outputs.copy_query(con, query, path, ",")
