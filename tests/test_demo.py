"""The synthetic case generator: exact sizes, determinism, and the traps the data must carry.

The checks read the written files back with Polars and judge them with rules written here
independently of the generator (Belgian postcode ranges, name folding), so a change in the
SQL that breaks realism shows up as a failing test rather than as a quietly easier case.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
import unicodedata
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from scoping import db
from scoping.demo import (
    EMAIL_DOMAINS,
    HOLIDAYS,
    MOBILE_PREFIXES,
    NAME_POOLS,
    PLACES,
    DemoError,
    GeneratedCase,
    coprime_near,
    generate,
    statements,
)
from scoping.errors import ExitCode, OutputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "telecom"
START = date(2026, 9, 1)
END = date(2026, 11, 15)  # START + 75 days, exclusive


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCase:
    """One mid-sized case shared by the content tests (generated in well under a second)."""
    return generate(tmp_path_factory.mktemp("demo") / "case", customers=2000, events=20000)


@pytest.fixture(scope="module")
def customers(case: GeneratedCase) -> pl.DataFrame:
    return pl.read_csv(case.customers_path, infer_schema=False)


@pytest.fixture(scope="module")
def log(case: GeneratedCase) -> pl.DataFrame:
    """All log files, with the event time in UTC and in Brussels local time."""
    frame = pl.concat([pl.read_csv(p, infer_schema=False) for p in case.log_paths])
    utc = pl.col("event_time").str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC")
    return frame.with_columns(
        utc.alias("utc"), utc.dt.convert_time_zone("Europe/Brussels").alias("local")
    )


def _digest(folder: Path) -> dict[str, str]:
    """Every file of a case, by its hash; not the staging cache that running the example
    (README's quick start) leaves beside it, which is no part of the case."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".scoping-cache" not in p.relative_to(folder).parts
    }


def _fold(name: str) -> str:
    """A name without case and accents, the way a deduplication step would compare it."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _region(postal_code: str) -> str:
    """Belgian postcode ranges (independent of the generator's table)."""
    code = int(postal_code)
    if 1000 <= code <= 1299:
        return "BRU"
    if 4700 <= code <= 4799:
        return "DG"
    if 1300 <= code <= 1499 or 4000 <= code <= 7999:
        return "WAL"
    return "VL"


def _data_lines(paths: tuple[Path, ...]) -> int:
    return sum(len(p.read_bytes().splitlines()) - 1 for p in paths)


# --- determinism and sizes ----------------------------------------------------------------


def test_same_seed_same_bytes_whatever_the_thread_count(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", 500, 5000, settings=db.Settings(threads=1))
    two = generate(tmp_path / "b", 500, 5000, settings=db.Settings(threads=2))
    assert one.log_rows == two.log_rows
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", 500, 5000, seed=7)
    generate(tmp_path / "b", 500, 5000, seed=8)
    first, second = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert first["customers.csv"] != second["customers.csv"]
    assert first["logs/access_2026-09.csv"] != second["logs/access_2026-09.csv"]
    assert first["case.toml"] == second["case.toml"]


def test_the_shipped_example_is_what_the_generator_makes(tmp_path: Path) -> None:
    """The example is the golden generated case: the command in the package docstring gives
    it back byte for byte. A change in the SQL, the data files or the template that alters
    one byte of any generated case fails here."""
    generate(tmp_path / "case", customers=3000, events=30000)
    assert _digest(tmp_path / "case") == _digest(EXAMPLE)


# Arguments other than the example's: three partner accounts, a negative seed and a window
# over the March change to summer time. The bytes are those of the generator before it was
# split into SQL, data and template files (same DuckDB version); case.toml's since the
# template gained [statement], [messages], [report] and [customer_history] (whose file is
# new).
VARIANT_SHA256 = {
    "case.toml": "d048ee2e425ce3fd5a79de34a6671326907ee5ff32bfb2ddfd64a8ec1ecdfb0c",
    "customer_history.csv": "8654f5cfb6215c7d0bae26c121e1449344f690f1b57e620765c34186b13fe874",
    "customers.csv": "bc6d6fb1206cac6cbe3a6c6def9b28ba632d5baafb1f22072d79200be3ee87e7",
    "logs/access_2024-03.csv": "2edc929116d610ae54cd121ec56c4ee53346e4fa451cd6618d6074fccabf90ba",
    "logs/access_2024-04.csv": "924b31c7fa4f83eea42068fa4ebb8ed4e48dbf413f430acc2dba97ab6e1e5e8c",
}


def test_other_arguments_give_the_pinned_bytes(tmp_path: Path) -> None:
    generate(
        tmp_path / "case", 777, 9999, seed=-12345, partners=3, start=date(2024, 3, 20), days=30
    )
    assert _digest(tmp_path / "case") == VARIANT_SHA256


@pytest.mark.parametrize(
    ("n_customers", "n_events"),
    [(1, 0), (1, 7), (10, 49), (60, 1000), (333, 12345)],
)
def test_row_counts_are_exactly_the_requested_ones(
    tmp_path: Path, n_customers: int, n_events: int
) -> None:
    made = generate(tmp_path / "case", n_customers, n_events)
    assert made.customers == n_customers
    assert len(made.customers_path.read_bytes().splitlines()) == n_customers + 1
    assert made.events == sum(made.log_rows) == n_events
    assert _data_lines(made.log_paths) == n_events


def test_files_and_case_file(case: GeneratedCase) -> None:
    folder = case.case_path.parent
    assert [p.name for p in case.log_paths] == [
        "access_2026-08.csv",  # the margin before the window
        "access_2026-09.csv",
        "access_2026-10.csv",
        "access_2026-11.csv",
    ]
    assert all(p.parent == folder / "logs" for p in case.log_paths)
    parsed = tomllib.loads(case.case_path.read_text(encoding="utf-8"))
    assert parsed["scope"] == {"actors": ["PRT-0042"], "start": "2026-09-01", "end": "2026-11-15"}
    assert parsed["customers"]["path"] == "customers.csv"
    assert parsed["access_log"]["path"] == ["logs/*.csv"]
    assert parsed["actions"]["customer.detail"] == "*"
    assert parsed["actions"]["billing.view"] == []
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < 2_000_000  # so the shipped 3000 x 30000 example stays under ~3 MB


def test_the_tool_reads_the_case_file(case: GeneratedCase) -> None:
    from scoping.case import load_case

    loaded = load_case(case.case_path)
    assert loaded.scope.actors == ("PRT-0042",)
    assert {f.name for f in loaded.customers.fields} >= {"email", "birth_date", "phone_mobile"}


def test_several_partner_accounts(tmp_path: Path) -> None:
    made = generate(tmp_path / "case", 300, 6000, partners=3, start=date(2027, 3, 1), days=30)
    assert made.suspects == ("PRT-0042", "PRT-0043", "PRT-0044")
    scope = tomllib.loads(made.case_path.read_text(encoding="utf-8"))["scope"]
    assert scope == {"actors": list(made.suspects), "start": "2027-03-01", "end": "2027-03-31"}
    users = pl.concat([pl.read_csv(p, infer_schema=False) for p in made.log_paths])["user_id"]
    assert set(made.suspects) <= set(users)


# --- the customer table ---------------------------------------------------------------------


def test_customer_ids_are_unique_and_well_formed(customers: pl.DataFrame) -> None:
    ids = customers["customer_id"]
    assert ids.n_unique() == customers.height
    assert ids.str.contains(r"^C\d{7}$").all()
    assert customers.columns == [
        "customer_id", "first_name", "last_name", "street", "house_number", "postal_code",
        "city", "email", "date_of_birth", "fixed_phone", "mobile_phone", "language", "brand",
    ]  # fmt: skip


def test_postcode_city_and_language_agree(customers: pl.DataFrame) -> None:
    known = {(p.postal_code, p.city) for p in PLACES} | {
        (p.postal_code, p.city_fr) for p in PLACES if p.city_fr
    }
    expected = {"VL": {"nl"}, "WAL": {"fr"}, "DG": {"de"}, "BRU": {"fr", "nl"}}
    regions = set()
    for code, city, language in customers.select("postal_code", "city", "language").rows():
        region = _region(code)
        regions.add(region)
        assert language in expected[region], (code, language)
        assert (code, city) in known, (code, city)
    assert regions == {"VL", "WAL", "BRU", "DG"}
    # one city name per postcode and language (Brussels names differ by language)
    names = customers.group_by("postal_code", "language").agg(pl.col("city").n_unique())
    assert names["city"].max() == 1


def test_about_thirty_percent_have_no_email(customers: pl.DataFrame) -> None:
    empty = customers["email"].is_null().mean()
    assert empty is not None and 0.26 <= float(empty) <= 0.34  # type: ignore[arg-type]
    emails = customers["email"].drop_nulls()
    assert emails.str.contains("@").all()
    assert emails.str.contains(r"^[^a-z]+$").any()  # some written in capitals
    domains = emails.str.to_lowercase().str.split("@").list.last()
    assert domains.str.contains(r"(^|\.)example(\.(com|net|org))?$").all()  # reserved only


def test_phones_present_at_the_expected_rates_and_in_mixed_formats(
    customers: pl.DataFrame,
) -> None:
    fixed, mobile = customers["fixed_phone"], customers["mobile_phone"]
    assert 0.42 <= fixed.is_null().mean() <= 0.58  # type: ignore[operator]
    assert 0.14 <= mobile.is_null().mean() <= 0.26  # type: ignore[operator]
    fixed_formats = [
        r"^0\d{1,2} \d{2,3} \d{2} \d{2}$",  # 02 123 45 67, 016 12 34 56
        r"^\+32 \d{1,2} \d{2,3} \d{2} \d{2}$",  # +32 2 123 45 67
        r"^0032 \d{1,2} \d{6,7}$",  # 0032 9 1234567
        r"^0\d{1,2}/\d{2,3}\.\d{2}\.\d{2}$",  # 02/123.45.67
    ]
    mobile_formats = [
        r"^04\d{2} \d{2} \d{2} \d{2}$",  # 0470 12 34 56
        r"^\+324\d{8}$",  # +32470123456
        r"^04\d{2}/\d{2}\.\d{2}\.\d{2}$",  # 0470/12.34.56
        r"^\+32 4\d{2} \d{2} \d{2} \d{2}$",  # +32 470 12 34 56
        r"^04\d{8}$",  # 0470123456
    ]
    for values, formats in ((fixed, fixed_formats), (mobile, mobile_formats)):
        present = values.drop_nulls()
        seen = [present.str.contains(f).sum() for f in formats]
        assert all(n > 0 for n in seen), seen
        assert sum(seen) == present.len()
    digits = fixed.drop_nulls().str.replace_all(r"\D", "").str.slice(-8)
    assert digits.str.len_chars().min() == 8  # every number has the 8 national digits


def test_birth_dates_include_minors(customers: pl.DataFrame) -> None:
    born = customers["date_of_birth"].str.to_date("%Y-%m-%d")
    assert born.min() >= date(1920, 1, 1)  # type: ignore[operator]
    assert born.max() <= date(2013, 11, 29)  # type: ignore[operator]
    minors = (born > date(2008, 11, 29)).sum()
    assert 0.02 * customers.height <= minors <= 0.06 * customers.height


def _people(customers: pl.DataFrame) -> pl.DataFrame:
    return customers.with_columns(
        pl.col("first_name").map_elements(_fold, return_dtype=pl.String).alias("first"),
        pl.col("last_name").map_elements(_fold, return_dtype=pl.String).alias("last"),
        pl.col("email").str.to_lowercase().alias("mail"),
        pl.col("mobile_phone").str.replace_all(r"\D", "").str.slice(-9).alias("mobile"),
        pl.col("fixed_phone").str.replace_all(r"\D", "").str.slice(-8).alias("fixed"),
        pl.concat_str("street", "house_number", "postal_code", separator="|").alias("address"),
    )


def _pairs(customers: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    people = _people(customers)
    pairs = people.join(people, on=on, suffix="_b")
    return pairs.filter(pl.col("customer_id") < pl.col("customer_id_b"))


def test_some_persons_hold_two_accounts(customers: pl.DataFrame) -> None:
    pairs = _pairs(customers, ["first", "last", "date_of_birth"]).filter(
        (pl.col("mail") == pl.col("mail_b")) | (pl.col("mobile") == pl.col("mobile_b"))
    )
    assert 0.015 * customers.height <= pairs.height <= 0.05 * customers.height
    assert (pairs["first_name"] != pairs["first_name_b"]).any()  # spelled differently
    assert (pairs["last_name"] != pairs["last_name_b"]).any()
    assert (pairs["brand"] != pairs["brand_b"]).any()
    assert pairs["mail"].ne_missing(pairs["mail_b"]).any()  # linked by the mobile only
    assert pairs["mobile"].ne_missing(pairs["mobile_b"]).any()  # linked by the email only


def test_households_share_an_email_or_a_fixed_line_but_are_different_people(
    customers: pl.DataFrame,
) -> None:
    for point in ("mail", "fixed"):
        pairs = _pairs(customers, [point, "address"]).filter(
            (pl.col("first") != pl.col("first_b"))
            & (pl.col("date_of_birth") != pl.col("date_of_birth_b"))
        )
        assert pairs.height >= 10, point
    # a fixed line never links two addresses: it belongs to one home
    homes = _people(customers).drop_nulls("fixed").group_by("fixed")
    assert homes.agg(pl.col("address").n_unique())["address"].max() == 1


def test_twins_share_name_address_and_birth_date(customers: pl.DataFrame) -> None:
    twins = _pairs(customers, ["last", "address", "date_of_birth"]).filter(
        pl.col("first") != pl.col("first_b")
    )
    assert twins.height >= 1


# --- the access log -------------------------------------------------------------------------


def test_the_suspect_reaches_the_most_customers(log: pl.DataFrame, case: GeneratedCase) -> None:
    reach = (
        log.group_by("user_id")
        .agg(pl.col("customer_id").n_unique().alias("customers"), pl.len().alias("events"))
        .sort("customers", descending=True)
    )
    top = reach.row(0, named=True)
    assert top["user_id"] == "PRT-0042"
    assert 0.2 <= top["events"] / log.height <= 0.4  # tens of percent of the events
    assert top["customers"] >= 0.6 * case.customers
    assert reach.height >= 35  # about forty ordinary agents besides
    assert reach["user_id"].str.contains(r"^(AGT|PRT)-\d{4}$").all()


def test_agents_work_office_hours_and_the_suspect_does_not(log: pl.DataFrame) -> None:
    hour, weekday = pl.col("local").dt.hour(), pl.col("local").dt.weekday()
    agents = log.filter(pl.col("user_id") != "PRT-0042")
    assert agents.filter((hour < 8) | (hour >= 18) | (weekday > 5)).height == 0
    suspect = log.filter(pl.col("user_id") == "PRT-0042")
    assert suspect.filter(hour >= 19).height > 0.1 * suspect.height
    assert suspect.filter(weekday > 5).height > 0.1 * suspect.height
    near_midnight = suspect.filter(pl.col("local").dt.date() != pl.col("utc").dt.date())
    assert near_midnight.height > 0  # the UTC date differs from the local one


def test_some_events_fall_just_outside_the_window(log: pl.DataFrame) -> None:
    day = pl.col("local").dt.date()
    before = log.filter(day < START)
    after = log.filter(day >= END)
    assert before.height > 0 and after.height > 0
    assert 0.002 <= (before.height + after.height) / log.height <= 0.03
    assert before["local"].min().date() >= date(2026, 8, 25)  # type: ignore[union-attr]
    assert after["local"].max().date() < date(2026, 11, 22)  # type: ignore[union-attr]
    assert "PRT-0042" in set(before["user_id"]) | set(after["user_id"])


def test_exports_list_many_customers_in_one_event(log: pl.DataFrame) -> None:
    exports = log.filter(pl.col("screen") == "report.export")
    per_event = exports.group_by("event_id").agg(
        pl.len().alias("rows"),
        pl.col("customer_id").n_unique().alias("customers"),
        pl.col("event_time").n_unique().alias("times"),
        pl.col("user_id").n_unique().alias("users"),
    )
    assert per_event.height >= 2
    assert per_event["rows"].min() >= 50 and per_event["rows"].max() <= 500  # type: ignore[operator]
    assert (per_event["rows"] == per_event["customers"]).all()
    assert (per_event["times"] == 1).all() and (per_event["users"] == 1).all()
    others = log.filter(pl.col("screen") != "report.export")
    assert others["event_id"].n_unique() == others.height
    assert set(log["screen"]) == {
        "customer.search", "customer.detail", "customer.contact", "report.export", "billing.view"
    }  # fmt: skip


def test_a_handful_of_events_name_unknown_customers(
    log: pl.DataFrame, customers: pl.DataFrame
) -> None:
    unknown = log.filter(~pl.col("customer_id").is_in(customers["customer_id"].implode()))
    assert 1 <= unknown.height <= 20
    assert unknown["customer_id"].str.contains(r"^C9\d{6}$").all()
    assert "PRT-0042" in set(unknown["user_id"])


def test_log_lines_are_in_time_order_with_utc_timestamps(case: GeneratedCase) -> None:
    for path in case.log_paths:
        times = pl.read_csv(path, infer_schema=False)["event_time"]
        assert times.str.contains(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").all()
        assert times.is_sorted()
        month = re.search(r"access_(\d{4}-\d{2})\.csv", path.name)
        assert month and times.str.starts_with(month.group(1)).all()


# --- arguments and the output folder ------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"customers": 0},
        {"events": -1},
        {"partners": 0},
        {"partners": 51},
        {"days": 6},
        {"seed": 2**64},
        {"duplicates": "fuzzy"},
    ],
)
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict[str, Any]) -> None:
    arguments: dict[str, Any] = {"customers": 10, "events": 10, **kwargs}
    with pytest.raises(DemoError):
        generate(tmp_path / "case", **arguments)
    assert not (tmp_path / "case").exists()


def test_a_folder_with_content_is_kept_unless_overwrite(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    generate(folder, 50, 500)
    with pytest.raises(OutputError):
        generate(folder, 50, 500, seed=8)
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    generate(folder, 50, 500, seed=8, start=date(2027, 1, 4), overwrite=True)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (folder / "logs").iterdir()) == [
        "access_2026-12.csv", "access_2027-01.csv", "access_2027-02.csv", "access_2027-03.csv"
    ]  # fmt: skip


def _investigators_case(folder: Path) -> dict[str, str]:
    """A case folder of real work, laid out with the generator's names."""
    from conftest import CASE, CUSTOMERS, EVENTS

    (folder / "logs").mkdir(parents=True)
    (folder / "case.toml").write_text(CASE, encoding="utf-8")
    (folder / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (folder / "logs" / "access_2026-09.csv").write_text(EVENTS, encoding="utf-8")
    return _digest(folder)


def test_overwrite_never_touches_a_case_it_did_not_generate(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    before = _investigators_case(folder)
    with pytest.raises(OutputError, match="not a case generated"):
        generate(folder, 50, 500, overwrite=True)
    assert _digest(folder) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda f: (f / "case.toml").write_text(
            (f / "case.toml").read_text(encoding="utf-8").replace("PRT-0042", "PRT-0099"),
            encoding="utf-8",
        ),
        lambda f: (f / "case.toml").write_text(
            (f / "case.toml").read_text(encoding="utf-8") + "# wave 2\n", encoding="utf-8"
        ),
        lambda f: (f / "customers.csv").write_text("id,name\n1,Ann\n", encoding="utf-8"),
        lambda f: (f / "logs" / "access_2026-09.csv").write_text("a,b\n", encoding="utf-8"),
        lambda f: (f / "case.toml").unlink(),
    ],
    ids=["other actor", "edited case file", "other customers", "other log", "no case file"],
)
def test_overwrite_refuses_a_generated_case_that_was_changed(tmp_path: Path, change: Any) -> None:
    folder = tmp_path / "case"
    generate(folder, 50, 500)
    change(folder)
    before = _digest(folder)
    with pytest.raises(OutputError, match="not a case generated"):
        generate(folder, 50, 500, seed=8, overwrite=True)
    assert _digest(folder) == before


def test_demo_generate_force_on_a_real_case_is_an_output_error(tmp_path: Path) -> None:
    from conftest import invoke

    folder = tmp_path / "evidence"
    before = _investigators_case(folder)
    result = invoke(
        "demo", "generate", "--customers", "5", "--events", "5", "--out", folder, "--force"
    )
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "not a case generated" in result.stderr and "Unexpected" not in result.stderr
    assert _digest(folder) == before


def test_coprime_multipliers() -> None:
    for n in (1, 2, 6, 30, 1000, 2 * 3 * 5 * 7 * 11 * 13):
        mult = coprime_near(n, 0.618034)
        assert sorted((x * mult + 3) % n for x in range(n)) == list(range(n))


# --- the package: SQL files, data files, template --------------------------------------------

DEMO_SQL = sorted(statements.catalogue().values(), key=lambda q: q.name)


def test_the_demo_sql_catalogue_is_not_empty() -> None:
    assert len(DEMO_SQL) >= 20


@pytest.mark.parametrize("statement", DEMO_SQL, ids=lambda q: q.name)
def test_demo_statement_has_a_header_and_declares_its_parameters(statement: db.Query) -> None:
    assert statement.text.startswith("-- "), "begins with a comment saying what it computes"
    assert len(statement.description) > 20
    assert re.search(r"^-- Parameters: ", statement.text, re.MULTILINE)
    body = "\n".join(line for line in statement.text.splitlines() if not line.startswith("--"))
    assert set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body)) == set(statement.params)
    assert len(duckdb.connect().extract_statements(statement.text)) == 1


def test_every_demo_statement_runs_and_nothing_else_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []
    real = statements.run

    def spy(con: Any, name: str, params: dict[str, Any] | None = None) -> Any:
        ran.append(name)
        return real(con, name, params)

    monkeypatch.setattr(statements, "run", spy)
    generate(tmp_path / "case", 20, 200)
    generate(tmp_path / "noisy", 20, 200, duplicates="noisy")
    assert set(ran) == set(statements.catalogue())


def test_a_demo_statement_given_other_parameters_is_refused() -> None:
    with pytest.raises(db.QueryError, match="'exports' takes parameters"):
        statements.run(duckdb.connect(), "exports", {"seed": 7})


def test_the_reference_lists_are_complete_and_clean() -> None:
    assert list(NAME_POOLS) == ["nl", "fr", "de", "xx"]
    for origin, pool in NAME_POOLS.items():
        assert pool.first and pool.last
        assert bool(pool.streets) == (origin != "xx")  # streets follow the home's language
        for names in pool:
            assert len(set(names)) == len(names)
            assert all(name and name == name.strip() and "," not in name for name in names)
    codes = [p.postal_code for p in PLACES]
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"\d{4}", c) for c in codes)
    for place in PLACES:
        assert place.weight >= 1 and re.fullmatch(r"0\d{1,2}", place.zone)
        assert (place.city_fr is not None) == (place.region == "BRU")
    assert len(MOBILE_PREFIXES) == 25 and all(re.fullmatch(r"4\d\d", p) for p in MOBILE_PREFIXES)
    # RFC 2606: only the reserved example names
    assert all(re.search(r"(^|\.)example(\.(com|net|org))?$", d) for d in EMAIL_DOMAINS)
    assert all(date.fromisoformat(f"2024-{h}") for h in HOLIDAYS)


def test_an_installed_wheel_generates_the_example_from_its_own_files(tmp_path: Path) -> None:
    """The SQL, data and template files ship in the wheel and are read from the installed
    package, not from the source tree."""
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not a source checkout")
    built = tmp_path / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(built), str(ROOT)],
        check=True,
    )  # fmt: skip
    (wheel,) = built.glob("scoping-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    package = ROOT / "scoping" / "demo"
    for path in [
        *package.glob("sql/*.sql"),
        *package.glob("data/*"),
        package / "case.toml.template",
    ]:
        assert f"scoping/demo/{path.relative_to(package).as_posix()}" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; from pathlib import Path; import scoping.demo as d;"
        " assert Path(d.__file__).is_relative_to(sys.argv[1]), d.__file__;"
        " d.generate(Path(sys.argv[2]), customers=3000, events=30000)"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(site), str(tmp_path / "case")],
        cwd=tmp_path,
        env={"PYTHONPATH": str(site)},
        check=True,
    )
    assert _digest(tmp_path / "case") == _digest(EXAMPLE)
