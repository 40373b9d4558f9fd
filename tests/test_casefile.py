"""The case file's one declaration: every problem at once, with its key path, and a JSON
Schema for editors that accepts the example case and refuses an unknown key."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from conftest import CASE, invoke, write_case

from scoping.casefile import CaseFile, json_schema
from scoping.errors import ExitCode

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "telecom" / "case.toml"

FIVE_MISTAKES = [
    ('key = "customer_id"', 'key = "customer_id"\nkye = "x"'),
    ('action = "screen"', 'action = "screen"\ncsv = { delimiter = ";;" }'),
    ('timezone = "Europe/Brussels"', 'timezone = "Europe/Bruxelles"'),
    ('unmapped = "ignore"', 'unmapped = "sometimes"'),
    ('"customer.search" = ["first_name"', '"customer.search" = ["nickname"'),
]


def test_a_case_file_with_five_mistakes_reports_five_problems(tmp_path: Path) -> None:
    text = CASE
    for old, new in FIVE_MISTAKES:
        assert old in text
        text = text.replace(old, new, 1)
    case = write_case(tmp_path / "c", case=text)
    result = invoke("check", case)
    assert result.exit_code == int(ExitCode.CASE), result.stderr
    assert "Traceback" not in result.stderr
    assert f"{case}: 5 problems" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines() if line.startswith("  [")]
    assert len(lines) == 5, result.stderr
    # In the order of the file's tables, each with its key path and a message.
    assert lines[0].startswith("[case.timezone] unknown time zone 'Europe/Bruxelles'")
    assert lines[1].startswith("[customers] unknown key 'kye' (allowed keys: csv, fields,")
    assert lines[2].startswith("[access_log.csv.delimiter] must be one character")
    assert lines[3].startswith("[actions.'customer.search'] field 'nickname' is not declared")
    assert lines[4].startswith("[scope.unmapped] must be one of 'error', 'all-fields' or")


def test_one_mistake_reads_as_one_line(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case=CASE.replace('unmapped = "ignore"', "unmapped = 3"))
    result = invoke("check", case)
    assert result.exit_code == int(ExitCode.CASE)
    assert f"{case}: [scope.unmapped] must be one of" in result.stderr
    assert "problems" not in result.stderr


def test_an_index_and_a_value_of_the_wrong_type_are_named(tmp_path: Path) -> None:
    text = CASE.replace('[case]\nid = "T-1"', '[case]\nid = "T-1"\nmax_rejected = "3"')
    text = text.replace('actors = ["PRT-0042"]', 'actors = ["PRT-0042", 7]')
    case = write_case(tmp_path / "c", case=text)
    result = invoke("check", case)
    assert result.exit_code == int(ExitCode.CASE)
    assert "[case.max_rejected] must be a whole number" in result.stderr
    assert "[scope.actors[1]] must be a text (in quotes)" in result.stderr


def test_an_actors_file_value_is_never_shown(tmp_path: Path) -> None:
    text = CASE.replace('actors = ["PRT-0042"]', 'actors_file = "suspects.txt"')
    case = write_case(tmp_path / "c", case=text)
    (tmp_path / "c" / "suspects.txt").write_bytes(b"jan.peeters@example.invalid\xff\n")
    result = invoke("check", case)
    assert result.exit_code == int(ExitCode.CASE)
    assert "[scope] " in result.stderr and "not UTF-8" in result.stderr
    assert "jan.peeters" not in result.stderr


def schema_validator() -> jsonschema.protocols.Validator:
    schema = json_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("example", [EXAMPLE, EXAMPLE.parents[1] / "two-systems" / "case.toml"])
def test_the_schema_accepts_the_example_cases(example: Path) -> None:
    raw = tomllib.loads(example.read_text(encoding="utf-8"))
    errors = [e.message for e in schema_validator().iter_errors(json.loads(json.dumps(raw)))]
    assert errors == []


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("customers", "kye", "x"),  # an unknown key
        ("access_log", "format", "xml"),  # a choice that is not one
        ("scope", "unmapped", "sometimes"),
        ("case", "max_rejected", "3"),  # a number in quotes
    ],
)
def test_the_schema_refuses_what_the_model_refuses(table: str, key: str, value: str) -> None:
    raw = json.loads(json.dumps(tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))))
    raw[table][key] = value
    assert list(schema_validator().iter_errors(raw)), (table, key)
    with pytest.raises(ValueError, match=key):
        CaseFile.model_validate(raw)


def test_schema_command_prints_the_schema_or_writes_it(tmp_path: Path) -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema()
    target = tmp_path / "case.schema.json"
    result = invoke("schema", "-o", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema()
    assert target.stat().st_mode & 0o077 == 0


def test_a_schema_line_in_the_case_file_is_a_comment(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case="#:schema ./case.schema.json\n" + CASE)
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr


def test_the_manifest_records_the_tables_as_the_model_read_them(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    parameters = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))[
        "parameters"
    ]
    model = CaseFile.model_validate(tomllib.loads(CASE))
    for key, value in model.scope.model_dump(mode="json").items():
        if key not in ("actors", "actors_file"):
            assert parameters["scope"][key] == value, key
    (table,) = model.access_log
    log = table.model_dump(mode="json", exclude={"path", "format", "csv", "actions"})
    (recorded,) = parameters["access_log"]
    resolved = {"name": "access_log", "timezone": "Europe/Brussels", "field_aliases": {}}
    assert {k: v for k, v in recorded.items() if k != "actions"} == {**log, **resolved}
    assert recorded["actions"] == {a: list(f) for a, f in model.actions.items() if f != "*"} | {
        a: [*model.customers.fields] for a, f in model.actions.items() if f == "*"
    }
    assert parameters["engine"] == {"memory_limit": None, "threads": None, "temp_dir": None}


def test_the_command_line_offers_the_case_files_dialects(tmp_path: Path) -> None:
    from typing import get_args

    from scoping.casefile import Dialect
    from scoping.cli import CsvDialect

    assert [d.value for d in CsvDialect] == list(get_args(Dialect))
    assert "excel-be" in " ".join(invoke("run", "--help").stdout.split())
    result = invoke(
        "run", write_case(tmp_path / "c"), "--out", tmp_path / "o", "--csv-dialect", "x"
    )
    assert result.exit_code == int(ExitCode.USAGE)
