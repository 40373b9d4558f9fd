"""The generator's noisy duplicates: a person's accounts typed again with mistakes, look-alike
different people, and truth.csv saying who is who.

The checks judge the written files with rules written here (name folding, what a typo in a
date looks like), independently of the generator's SQL.
"""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from conftest import invoke

from scoping import db
from scoping.demo import TRUTH_HEADER, GeneratedCase, generate


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCase:
    return generate(
        tmp_path_factory.mktemp("noisy") / "case", customers=4000, events=100, duplicates="noisy"
    )


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ")


@pytest.fixture(scope="module")
def pairs(case: GeneratedCase) -> pl.DataFrame:
    """Each account that resembles another (truth.csv's related_id) beside that account."""
    assert case.truth_path is not None
    customers = pl.read_csv(case.customers_path, infer_schema=False).with_columns(
        pl.col("first_name").map_elements(_fold, return_dtype=pl.String).alias("first"),
        pl.col("last_name").map_elements(_fold, return_dtype=pl.String).alias("last"),
        pl.concat_str("street", "house_number", "postal_code", separator="|").alias("address"),
    )
    truth = pl.read_csv(case.truth_path, infer_schema=False)
    accounts = customers.join(truth, on="customer_id")
    return accounts.filter(pl.col("related_id").is_not_null()).join(
        accounts, left_on="related_id", right_on="customer_id", suffix="_b"
    )


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_whatever_the_thread_count(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", 800, 100, duplicates="noisy", settings=db.Settings(threads=1))
    generate(tmp_path / "b", 800, 100, duplicates="noisy", settings=db.Settings(threads=2))
    assert one.truth_path == tmp_path / "a" / "truth.csv"
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    plain = generate(tmp_path / "c", 800, 100)
    assert plain.truth_path is None and not (tmp_path / "c" / "truth.csv").exists()


def test_truth_names_the_person_of_every_account(case: GeneratedCase) -> None:
    assert case.truth_path is not None
    lines = case.truth_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == TRUTH_HEADER
    truth = pl.read_csv(case.truth_path, infer_schema=False)
    customers = pl.read_csv(case.customers_path, infer_schema=False)
    assert truth["customer_id"].to_list() == customers["customer_id"].to_list()
    kinds = truth["kind"].fill_null("").value_counts()
    counts = dict(zip(kinds["kind"], kinds["count"], strict=True))
    assert set(counts) == {"", "duplicate", "twin", "parent_child", "homonym", "household"}
    assert 0.08 * case.customers <= counts["duplicate"] <= 0.14 * case.customers
    for kind in ("twin", "parent_child", "homonym"):
        assert counts[kind] >= 0.005 * case.customers, kind
    # a person's accounts: one, or several (a person may have more than one duplicate)
    sizes = truth.group_by("person_id").len()["len"]
    assert sizes.max() >= 3  # type: ignore[operator]
    assert truth["person_id"].n_unique() == case.customers - counts["duplicate"]


def test_duplicates_are_one_person_typed_again_with_noise(pairs: pl.DataFrame) -> None:
    dup = pairs.filter(pl.col("kind") == "duplicate")
    assert (dup["person_id"] == dup["person_id_b"]).all()
    n = dup.height
    for column in ("first", "last"):  # typos and spellings, beyond case and accents
        assert 0.12 * n <= (dup[column] != dup[f"{column}_b"]).sum() <= 0.4 * n, column
    folded = dup.filter(pl.col("last") != pl.col("last_b"))
    assert (folded["last"].str.len_chars() != folded["last_b"].str.len_chars()).any()
    born = dup.filter(pl.col("date_of_birth") != pl.col("date_of_birth_b"))
    assert 0.08 * n <= born.height <= 0.25 * n
    for a, b in zip(born["date_of_birth"], born["date_of_birth_b"], strict=True):
        digits_a, digits_b = a.replace("-", ""), b.replace("-", "")
        off = sum(x != y for x, y in zip(digits_a, digits_b, strict=True))
        # one digit off, or two digits (or day and month) swapped
        assert off == 1 or sorted(digits_a) == sorted(digits_b), (a, b)
    same_home = dup.filter(pl.col("postal_code") == pl.col("postal_code_b"))
    streets = same_home.filter(pl.col("street") != pl.col("street_b"))["street"]
    assert streets.str.ends_with("str.").any() or streets.str.ends_with("str").any()
    houses = same_home.filter(pl.col("house_number") != pl.col("house_number_b"))
    assert houses["house_number"].str.contains(r" (bte|bus|b) ?\d+$|/\d+$").any()
    # contact points missing: linked by neither email nor mobile
    bare = dup.filter(
        pl.col("email").is_null()
        & pl.col("mobile_phone").is_null()
        & pl.col("email_b").is_not_null()
        & pl.col("mobile_phone_b").is_not_null()
    )
    assert bare.height >= 0.05 * n


def test_look_alikes_are_different_people(pairs: pl.DataFrame) -> None:
    alike = pairs.filter(pl.col("kind") != "duplicate")
    assert (alike["person_id"] != alike["person_id_b"]).all()

    def of(kind: str) -> pl.DataFrame:
        found = alike.filter(pl.col("kind") == kind)
        assert found.height >= 10, kind
        return found

    # different people never share name, birth date and address (twins have two names)
    accounts = pl.concat(
        [
            pairs.select("first", "last", "date_of_birth", "address", "person_id"),
            pairs.select(
                pl.col(f"{c}_b").alias(c)
                for c in ("first", "last", "date_of_birth", "address", "person_id")
            ),
        ]
    )
    alone = accounts.group_by("first", "last", "date_of_birth", "address").agg(
        pl.col("person_id").n_unique()
    )
    assert alone["person_id"].max() == 1
    twins = of("twin")
    assert (twins["last"] == twins["last_b"]).all()
    assert (twins["date_of_birth"] == twins["date_of_birth_b"]).all()
    assert (twins["address"] == twins["address_b"]).all()
    assert (twins["first"] != twins["first_b"]).all()
    parent_child = of("parent_child")
    for column in ("first", "last", "address"):
        assert (parent_child[column] == parent_child[f"{column}_b"]).all(), column
    gap = (
        parent_child["date_of_birth"].str.to_date() - parent_child["date_of_birth_b"].str.to_date()
    )
    assert (gap.dt.total_days().abs() >= 22 * 365).all()
    homonyms = of("homonym")
    for column in ("first", "last", "postal_code"):  # the city may be in the other language
        assert (homonyms[column] == homonyms[f"{column}_b"]).all(), column
    assert (homonyms["date_of_birth"] != homonyms["date_of_birth_b"]).all()
    assert (homonyms["address"] != homonyms["address_b"]).any()
    household = of("household")
    assert (household["address"] == household["address_b"]).all()
    assert (household["first"] != household["first_b"]).all()
    shared = household.filter(pl.col("email").str.to_lowercase() == pl.col("email_b"))
    assert shared.height >= 10  # a family email


def test_the_command_writes_the_truth_beside_the_case(tmp_path: Path) -> None:
    out = tmp_path / "case"
    args = ["--customers", "50", "--events", "10", "--out", str(out)]
    assert invoke("demo", "generate", *args, "--duplicates", "noisy").exit_code == 0
    assert (out / "truth.csv").exists()
    # --force replaces a noisy case, and an exact one leaves no stale truth behind
    assert invoke("demo", "generate", *args, "--force").exit_code == 0
    assert not (out / "truth.csv").exists()
    result = invoke("demo", "generate", *args, "--force", "--duplicates", "fuzzy")
    assert result.exit_code != 0


def test_twins_of_one_family_never_share_a_first_name(tmp_path: Path) -> None:
    """With a twin in a hundred accounts, two twins of one family drew the same first name
    about once in 50,000 accounts: two people with one name, birth date and address, whom
    any deduplication must merge. The n-th twin of a family takes its own name."""
    made = generate(tmp_path / "case", customers=100_000, events=1, duplicates="noisy")
    assert made.truth_path is not None
    customers = pl.read_csv(made.customers_path, infer_schema=False)
    truth = pl.read_csv(made.truth_path, infer_schema=False)
    twins = customers.join(truth, on="customer_id").filter(pl.col("kind") == "twin")
    per_family = twins.group_by("related_id").agg(pl.len(), pl.col("first_name").n_unique())
    assert per_family["len"].max() >= 2  # type: ignore[operator]
    assert (per_family["len"] == per_family["first_name"]).all()
