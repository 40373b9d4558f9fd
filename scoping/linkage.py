"""Probabilistic record linkage: which pairs of customer records are probably one person.

A Fellegi-Sunter model (splink, on its DuckDB backend, inside the run's own connection) over
linkage_input (queries/linkage_input.sql: the values the identity rule already folds). Its
parameters are estimated on the case's own table each run: the share of matching pairs from
the identity rule's own evidence, u from random pairs (a hash-based sample with a fixed
seed), m by expectation maximisation on two blocking rules. The estimated parameters are
rounded before predicting, so that the tiny differences of a parallel sum cannot change a
figure; probabilities are then rounded to three decimals in SQL (queries/linkage_pairs_scored.sql),
which is what every decision and file uses: two runs give the same bytes.

Which pairs become links, and which go to review, is decided in SQL (queries/linkage_pairs,
person_links_probable, linkage_held, merge_review); this module only produces the scored
pairs as the view `linkage_predictions`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import duckdb

from scoping import db
from scoping.errors import CaseError, QueryError

SEED = 42
# Random pairs drawn for u: enough for the rarest levels of a million-record table.
U_PAIRS = 3e6
# Rounding of estimated m and u (significant digits): far finer than any decision, far
# coarser than the noise of a parallel floating-point sum.
DIGITS = 6
# The identity rule's evidence (equal folded names and birth date), and the share of true
# pairs it is taken to find, for the prior share of matching pairs.
PRIOR_RULE = "l.first_key = r.first_key AND l.last_key = r.last_key AND l.birth = r.birth"
PRIOR_RECALL = 0.6
# Pairs compared: linear in practice. Measured on the noisy demo at a million records (84
# postal codes, small name pools): the same last name and postal code would make 179M pairs,
# the same first and last name 177M; these rules make about 4.5M together.
BLOCKING = (
    "l.birth = r.birth AND l.first_initial = r.first_initial",
    "l.birth = r.birth AND l.last_initial = r.last_initial",
    "l.postal_code = r.postal_code AND l.house_key = r.house_key"
    " AND l.street_initial = r.street_initial AND l.first_initial = r.first_initial",
    "l.email = r.email",
    "l.mobile = r.mobile",
)
# Blocking rules of the EM sessions: each estimates m of the comparisons it leaves free (the
# first: address, email, mobile; the second: names, email, mobile; the third: names, birth
# date, address, email), on few pairs, most of them matches.
TRAINING = (
    "l.first_key = r.first_key AND l.last_key = r.last_key AND l.birth = r.birth",
    "l.birth = r.birth AND l.postal_code = r.postal_code",
    "l.mobile = r.mobile",
)


@dataclass(frozen=True)
class Model:
    """What the linkage estimated and compared, for the manifest."""

    probability_two_random_records_match: float
    parameters: dict[str, list[dict[str, Any]]]  # comparison -> levels with m and u
    pairs_scored: int


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f"{column}_l IS NULL OR {column}_r IS NULL",
        "label_for_charts": "missing",
        "is_null_level": True,
    }


def _level(sql: str, label: str, **more: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **more}


def _name(column: str) -> dict[str, Any]:
    """A name: equal (term frequency adjusted: a common name is weaker evidence), one typo,
    similar, or different (Jaro-Winkler and Damerau-Levenshtein on the folded forms)."""
    left, right = f"{column}_l", f"{column}_r"
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(column),
            _level(
                f"{left} = {right}", "same", tf_adjustment_column=column, tf_adjustment_weight=1.0
            ),
            _level(f"damerau_levenshtein({left}, {right}) <= 1", "one typo"),
            _level(f"jaro_winkler_similarity({left}, {right}) >= 0.9", "jaro-winkler 0.9"),
            _level(f"jaro_winkler_similarity({left}, {right}) >= 0.8", "jaro-winkler 0.8"),
            _level("ELSE", "different"),
        ],
    }


def _birth() -> dict[str, Any]:
    """The birth date as eight digits: equal, one digit off, two neighbouring digits swapped,
    day and month swapped, or different."""
    left, right = "birth_l", "birth_r"
    return {
        "output_column_name": "birth",
        "comparison_levels": [
            _null("birth"),
            _level(f"{left} = {right}", "same"),
            _level(f"hamming({left}, {right}) = 1", "one digit off"),
            _level(f"damerau_levenshtein({left}, {right}) = 1", "two digits swapped"),
            _level(
                f"left({left}, 4) = left({right}, 4)"
                f" AND substr({left}, 5, 2) = substr({right}, 7, 2)"
                f" AND substr({left}, 7, 2) = substr({right}, 5, 2)",
                "day and month swapped",
            ),
            _level("ELSE", "different"),
        ],
    }


def _address() -> dict[str, Any]:
    """The postal address: equal once folded; same postal code, similar street and same house
    number; same postal code and similar street; same postal code; or other."""
    similar = "jaro_winkler_similarity(street_key_l, street_key_r) >= 0.85"
    return {
        "output_column_name": "address",
        "comparison_levels": [
            _null("address_key"),
            _level("address_key_l = address_key_r", "same"),
            _level(
                f"postal_code_l = postal_code_r AND {similar} AND house_key_l = house_key_r",
                "same postal code, street, house number",
            ),
            _level(f"postal_code_l = postal_code_r AND {similar}", "same postal code and street"),
            _level("postal_code_l = postal_code_r", "same postal code"),
            _level("ELSE", "other"),
        ],
    }


def _exact(column: str) -> dict[str, Any]:
    return {
        "output_column_name": column,
        "comparison_levels": [
            _null(column),
            _level(f"{column}_l = {column}_r", "same"),
            _level("ELSE", "different"),
        ],
    }


def settings() -> dict[str, Any]:
    """The model: comparisons and blocking rules, untrained."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "customer_key",
        "comparisons": [
            _name("first_key"),
            _name("last_key"),
            _birth(),
            _address(),
            _exact("email"),
            _exact("mobile"),
        ],
        "blocking_rules_to_generate_predictions": [{"blocking_rule": b} for b in BLOCKING],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "em_convergence": 0.0001,
        "max_iterations": 25,
    }


def _splink() -> Any:
    """splink, or a clear error when the optional dependency is missing."""
    try:
        import splink
        from splink import DuckDBAPI, Linker  # noqa: F401
    except ImportError:
        raise CaseError(
            '[recipients.identity] method = "probabilistic" needs the optional splink package',
            'install it with: pip install "scoping[linkage]"',
        ) from None
    return splink


def available() -> bool:
    """Whether probabilistic linkage can run here (splink installed)."""
    try:
        _splink()
    except CaseError:
        return False
    return True


def _rounded(model: dict[str, Any]) -> dict[str, Any]:
    """The trained model with m and u rounded to DIGITS significant digits."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            for key in ("m_probability", "u_probability"):
                if level.get(key) is not None:
                    level[key] = float(f"{level[key]:.{DIGITS}g}")
    model["probability_two_random_records_match"] = float(
        f"{model['probability_two_random_records_match']:.{DIGITS}g}"
    )
    return model


def predict(con: duckdb.DuckDBPyConnection, review: float) -> Model:
    """Score the candidate pairs of linkage_input: the view linkage_predictions
    (customer_key_l, customer_key_r, match_probability) at or above about `review`."""
    splink = _splink()
    # splink logs progress at INFO: nothing of it on stdout (data) nor, but problems, stderr.
    logging.getLogger("splink").setLevel(logging.WARNING)
    db_api = splink.DuckDBAPI(connection=con)
    try:
        table = db_api.register("linkage_input")
        linker = splink.Linker(table, settings(), log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [PRIOR_RULE], recall=PRIOR_RECALL
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
        for rule in TRAINING:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        model = _rounded(linker.misc.save_model_to_json())
        db_api.delete_tables_created_by_splink_from_db()
        db_api = splink.DuckDBAPI(connection=con)
        table = db_api.register("linkage_input")
        linker = splink.Linker(table, model, log_level=None)
        # A little below the threshold: the decisions use the probability rounded in SQL.
        scored = linker.inference.predict(
            threshold_match_probability=max(0.0, review - 0.001), warning_mode="never"
        )
        con.execute(
            "CREATE OR REPLACE TABLE linkage_predictions AS"
            " SELECT customer_key_l, customer_key_r, match_probability"
            f" FROM {db.quote_ident(scored.physical_name)}"
        )
    except (QueryError, CaseError):
        raise
    except Exception as exc:  # splink's own errors and the engine's, whose text may hold values
        raise QueryError(
            f"probabilistic linkage failed ({type(exc).__name__})",
            'report this as a bug; method = "rule" runs without it',
        ) from None
    finally:
        db_api.delete_tables_created_by_splink_from_db()
    pairs = con.execute("SELECT count(*) FROM linkage_predictions").fetchone()
    return Model(
        model["probability_two_random_records_match"],
        {
            c["output_column_name"]: [
                {
                    "level": level.get("label_for_charts"),
                    "m": level.get("m_probability"),
                    "u": level.get("u_probability"),
                }
                for level in c["comparison_levels"]
                if not level.get("is_null_level")
            ]
            for c in model["comparisons"]
        },
        int(pairs[0]) if pairs else 0,
    )
