"""Who is one person, with probabilistic linkage: the guards hold on the hard cases, a person
made of chained links is held back, reviewers' decisions change the next run and are
recorded, unknown keys are reported, runs agree to the byte, and both methods run from the
case file.

The guard and chain tests feed records made here to the packaged SQL, one look-alike per
test: each fails when its guard is taken out. The end-to-end tests run a small noisy demo
case and judge its persons against truth.csv with Polars, independently of the pipeline.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from scoping import db, linkage, pipeline
from scoping.casefile import IdentityTable
from scoping.demo import generate
from scoping.errors import CaseError

needs_splink = pytest.mark.skipif(
    not linkage.available(), reason='splink is not installed (pip install "scoping[linkage]")'
)

CUSTOMERS = 2000
HARD_KINDS = ("twin", "parent_child", "homonym", "household")
AUDIT = "AUDIT-0001"

# --- the guards, one look-alike at a time -------------------------------------------------

BASE: dict[str, Any] = {
    "first_key": "francois",
    "last_key": "peeters",
    "first_records": 5,
    "birth": "19800512",
    "postal_code": "2000",
    "street_key": "kerkstraat",
    "house_key": "12",
    "address_key": "kerkstraat 12 2000 antwerpen",
    "email": None,
    "mobile": None,
}


def _guard(left: dict[str, Any], right: dict[str, Any]) -> str | None:
    con = duckdb.connect()
    db.run(con, "macro_identity_guard")
    columns = ", ".join(f"${k} AS {k}" for k in BASE)
    con.execute(f"CREATE TABLE x AS SELECT {columns}", {**BASE, **left})
    con.execute(f"CREATE TABLE y AS SELECT {columns}", {**BASE, **right})
    row = con.execute("SELECT identity_guard(x, y) FROM x, y").fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def test_a_duplicate_with_typos_passes_every_guard() -> None:
    assert _guard({"email": "f@example.invalid"}, {"email": "f@example.invalid"}) is None
    typo = {"first_key": "francios", "first_records": 1}
    assert _guard({}, {**typo, "street_key": "kerkstr", "address_key": "kerkstr 12 2000"}) is None
    assert (
        _guard({"mobile": "+32470000001"}, {"birth": "19800521", "mobile": "+32470000001"}) is None
    )


def test_twins_with_unlike_first_names_are_kept_apart() -> None:
    assert _guard({}, {"first_key": "jos"}) == "different first names"


def test_twins_with_alike_first_names_are_kept_apart() -> None:
    # François and Françoise: one letter apart, both names many records carry, nothing shared.
    assert _guard({}, {"first_key": "francoise"}) == "possible twins"
    # A first name no other record carries is a typo: not twins.
    assert _guard({}, {"first_key": "francoise", "first_records": 1}) is None


def test_a_parent_and_child_of_one_name_are_kept_apart() -> None:
    assert _guard({}, {"birth": "20080301"}) == "different birth dates"
    # Born on the same day 30 years apart: one digit off, yet years apart, and the shared
    # family email does not make them one person.
    same_mail = {"email": "family@example.invalid"}
    assert _guard(same_mail, {**same_mail, "birth": "20100512"}) == "different birth dates"


def test_spouses_sharing_an_email_and_address_are_kept_apart() -> None:
    shared = {"email": "home@example.invalid"}
    assert _guard(shared, {**shared, "first_key": "marie", "birth": "19830101"}) is not None


def test_homonyms_who_share_nothing_are_kept_apart() -> None:
    elsewhere = {"postal_code": "2018", "house_key": "40", "address_key": "elders 40 2018"}
    assert _guard({}, elsewhere) == "nothing shared"
    assert _guard({"mobile": "+32470000001"}, {**elsewhere, "mobile": "+32470000001"}) is None


# --- the chain guard --------------------------------------------------------------------------


def _held(links: list[tuple[str, str, str]], max_records: int = 6) -> list[tuple[str, ...]]:
    """linkage_held over three records A, B, C: A and C twins (François, Françoise), B the
    record between them; `links` are person_links rows (a, b, kind)."""
    con = duckdb.connect()
    for name in ("macro_identity_guard", "identity_decisions", "linkage_held"):
        db.run(con, name)
    rows = [
        {**BASE, "customer_key": "A"},
        {**BASE, "customer_key": "B", "first_key": "francios", "first_records": 1},
        {**BASE, "customer_key": "C", "first_key": "francoise"},
    ]
    con.execute(
        "CREATE TABLE linkage_input AS SELECT * FROM (SELECT unnest($rows, recursive := true))",
        {"rows": rows},
    )
    con.execute(
        "CREATE TABLE person_links AS SELECT * FROM (VALUES ('', '', '', 0.0, ''))"
        " AS t(a, b, kind, probability, evidence) WHERE false"
    )
    for a, b, kind in links:
        con.execute("INSERT INTO person_links VALUES (?, ?, ?, 0.995, 'e')", [a, b, kind])
    con.execute("CREATE TABLE person_labels AS SELECT 'K:A' AS label, k AS customer_key"
                " FROM unnest(['A', 'B', 'C']) AS t(k)")  # fmt: skip
    db.run(con, "linkage_held_chains", {"max_records": max_records})
    return sorted(con.execute("SELECT a, b, reason FROM linkage_held").fetchall())


def test_a_chain_joining_twins_is_held_back() -> None:
    held = _held([("A", "B", "probabilistic"), ("B", "C", "probabilistic")])
    assert [(a, b) for a, b, _ in held] == [("A", "B"), ("B", "C")]
    assert all("possible twins" in reason for _, _, reason in held)


def test_a_person_too_large_is_held_back_and_rule_links_never_are() -> None:
    assert _held([("A", "B", "probabilistic"), ("A", "C", "email")], max_records=2) == [
        ("A", "B", "a person of 3 records")
    ]


# --- end to end on a noisy demo case ----------------------------------------------------------


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A noisy demo case whose every account is consulted, so that every account is
    affected and goes through the identity step."""
    folder = tmp_path_factory.mktemp("identity") / "case"
    generate(folder, customers=CUSTOMERS, events=1, duplicates="noisy")
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT row_number() OVER (ORDER BY customer_id) AS event_id,"
        " '2026-09-15T10:00:00Z' AS event_time, $actor AS user_id,"
        " 'customer.detail' AS screen, customer_id"
        " FROM read_csv($customers, all_varchar = true) ORDER BY customer_id)"
        " TO $out (FORMAT csv, HEADER true)",
        {
            "actor": AUDIT,
            "customers": str(folder / "customers.csv"),
            "out": str(folder / "all.csv"),
        },
    )
    text = (folder / "case.toml").read_text(encoding="utf-8")
    text = text.replace('path = ["logs/*.csv"]', 'path = ["all.csv"]')
    start = text.index("actors = ")
    text = text[:start] + f'actors = ["{AUDIT}"]' + text[text.index("\n", start) :]
    (folder / "case.toml").write_text(text, encoding="utf-8")
    return folder


def _case(folder: Path, name: str, identity: str) -> Path:
    path = folder / f"{name}.toml"
    text = (folder / "case.toml").read_text(encoding="utf-8")
    path.write_text(text + "\n[recipients.identity]\n" + identity, encoding="utf-8")
    return path


def _run(case: Path, out: Path) -> dict[str, Any]:
    options = pipeline.RunOptions(force=True, settings=db.Settings(cache=False))
    pipeline.run(case, out, options)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _members(out: Path, truth: Path) -> pl.DataFrame:
    recipients = pl.read_csv(out / "recipients.csv", separator=";", infer_schema=False)
    return (
        recipients.select("recipient_id", "merge_reason", pl.col("customer_keys").str.split("|"))
        .explode("customer_keys")
        .rename({"customer_keys": "customer_id"})
        .join(
            pl.read_csv(truth, infer_schema=False).with_columns(pl.col("kind").fill_null("")),
            on="customer_id",
            how="left",
        )
    )


def _review(out: Path) -> list[dict[str, str]]:
    with (out / "merge_review.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@pytest.fixture(scope="module")
def probabilistic(noisy: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "probabilistic"
    _run(_case(noisy, "probabilistic", 'method = "probabilistic"\n'), out)
    return out


@needs_splink
def test_no_person_holds_two_true_persons(noisy: Path, probabilistic: Path) -> None:
    members = _members(probabilistic, noisy / "truth.csv")
    assert members["person_id"].null_count() == 0 and members.height == CUSTOMERS
    persons = members.group_by("recipient_id").agg(pl.col("person_id").n_unique())
    assert persons["person_id"].max() == 1, "a person holds accounts of two true persons"
    where = members.select("customer_id", "recipient_id")
    alike = members.join(where, left_on="related_id", right_on="customer_id", suffix="_related")
    for kind in HARD_KINDS:
        of_kind = alike.filter(pl.col("kind") == kind)
        assert of_kind.height >= 3, kind
        assert (of_kind["recipient_id"] != of_kind["recipient_id_related"]).all(), kind
    # and it merges far more than the rule: most duplicates are found
    duplicates = alike.filter(pl.col("kind") == "duplicate")
    assert (duplicates["recipient_id"] == duplicates["recipient_id_related"]).mean() > 0.8  # type: ignore[operator]
    reasons = members["merge_reason"].drop_nulls()
    assert reasons.str.contains(r"^probabilistic \(0\.9\d\d\): first_name: ").any()


@needs_splink
def test_the_review_queue_explains_without_values(noisy: Path, probabilistic: Path) -> None:
    rows = _review(probabilistic)
    assert rows, "the noisy case leaves pairs to review"
    assert list(rows[0]) == [
        "probability", "key_a", "key_b", "held_back", "evidence", "decision", "who", "when"
    ]  # fmt: skip
    probabilities = [float(r["probability"]) for r in rows]
    assert probabilities == sorted(probabilities, reverse=True)
    assert all(
        0.5 <= p <= 1 and len(r["probability"]) == 5
        for p, r in zip(probabilities, rows, strict=True)
    )
    customers = pl.read_csv(noisy / "customers.csv", infer_schema=False)
    values = {
        v for c in ("first_name", "last_name", "email", "street", "mobile_phone", "date_of_birth")
        for v in customers[c].drop_nulls().to_list() if len(v) > 3
    }  # fmt: skip
    for row in rows:
        assert row["held_back"].startswith(("guard: ", "held: ", "below auto_merge"))
        assert row["evidence"].startswith("first_name: ")
        assert not any(v in row["evidence"] for v in values)
    counts = json.loads((probabilistic / "counts.json").read_text(encoding="utf-8"))["recipients"]
    assert counts["review_pairs"] == len(rows)
    assert counts["affected_persons_at_most"] == counts["affected_persons"]
    assert counts["affected_persons_at_least"] < counts["affected_persons"]


@needs_splink
def test_two_runs_give_the_same_bytes(noisy: Path, probabilistic: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _run(_case(noisy, "probabilistic", 'method = "probabilistic"\n'), again)
    for name in ("recipients.csv", "merge_review.csv", "counts.json", "notify_letter.csv"):
        assert (again / name).read_bytes() == (probabilistic / name).read_bytes(), name
    first, second = (
        json.loads((d / "manifest.json").read_text(encoding="utf-8"))["parameters"]["recipients"]
        for d in (probabilistic, again)
    )
    assert first["identity_linkage"] == second["identity_linkage"]


@needs_splink
def test_decisions_change_the_next_run(noisy: Path, probabilistic: Path, tmp_path: Path) -> None:
    queued = _review(probabilistic)[0]
    members = _members(probabilistic, noisy / "truth.csv")
    merged = (
        members.filter(pl.col("merge_reason").str.starts_with("probabilistic"))
        .group_by("recipient_id")
        .agg(pl.col("customer_id").sort())
    )
    split = merged["customer_id"][0].to_list()[:2]
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(
        "key_a,key_b,decision,who,when\n"
        f"{queued['key_a'].lstrip(chr(39))},{queued['key_b'].lstrip(chr(39))},same,reviewer,2026-12-01\n"
        f"{split[0]},{split[1]},same,reviewer,2026-12-01\n"
        f"{split[1]},{split[0]},different,reviewer,2026-12-02\n"  # a later line wins
        "C9999999,C0000001,same,reviewer,2026-12-02\n"
        "C0000001,C0000002,,,\n",  # not decided yet
        encoding="utf-8",
    )
    out = tmp_path / "decided"
    manifest = _run(
        _case(noisy, "decided", f'method = "probabilistic"\ndecisions = "{decisions}"\n'), out
    )
    after = _members(out, noisy / "truth.csv")
    person = dict(zip(after["customer_id"], after["recipient_id"], strict=True))
    key_a, key_b = queued["key_a"].lstrip("'"), queued["key_b"].lstrip("'")
    assert person[key_a] == person[key_b]
    reason = after.filter(pl.col("customer_id") == key_a)["merge_reason"][0]
    assert "reviewed: same person" in reason
    assert person[split[0]] != person[split[1]]
    assert (key_a, key_b) not in {
        (r["key_a"].lstrip("'"), r["key_b"].lstrip("'")) for r in _review(out)
    }
    record = manifest["parameters"]["recipients"]["identity_linkage"]["decisions"]
    assert record["sha256"] == __import__("hashlib").sha256(decisions.read_bytes()).hexdigest()
    assert record == {
        **record,
        "lines": 4,
        "unknown_keys": 1,
        "applied_same": 1,
        "applied_different": 1,
        "overridden": 1,
    }
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))["recipients"]
    assert counts["decisions_unknown_keys"] == 1


def test_a_decision_that_is_neither_same_nor_different_stops_the_run(
    noisy: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("key_a,key_b,decision,who,when\nC0000001,C0000002,maybe,x,y\n")
    case = _case(noisy, "maybe", f'decisions = "{decisions}"\n')
    with pytest.raises(Exception, match="line 2"):
        _run(case, tmp_path / "out")


@needs_splink
def test_decisions_apply_to_the_rule_too(noisy: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("key_a,key_b,decision,who,when\nC0000001,C0000002,same,x,y\n")
    out = tmp_path / "rule"
    _run(_case(noisy, "rule", f'method = "rule"\ndecisions = "{decisions}"\n'), out)
    members = _members(out, noisy / "truth.csv")
    person = dict(zip(members["customer_id"], members["recipient_id"], strict=True))
    assert person["C0000001"] == person["C0000002"]
    assert not (out / "merge_review.csv").exists()


# --- the case key ----------------------------------------------------------------------------


def test_the_method_is_a_case_key() -> None:
    assert IdentityTable().method == "rule"
    assert IdentityTable.model_validate({"method": "probabilistic"}).auto_merge == 0.99
    with pytest.raises(ValueError, match="method"):
        IdentityTable.model_validate({"method": "fuzzy"})
    with pytest.raises(ValueError, match="review must not be above auto_merge"):
        IdentityTable.model_validate({"auto_merge": 0.9, "review": 0.95})


def test_without_splink_the_method_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "splink", None)
    with pytest.raises(CaseError, match="splink") as caught:
        linkage.predict(duckdb.connect(), 0.5)
    assert caught.value.hint is not None and "scoping[linkage]" in caught.value.hint
