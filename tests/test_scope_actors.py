"""A scope that matches nothing: actors with no event in the logs stop `run` and `check`
(with their own exit code and a "did you mean"), unless the case allows them; and a scope of
very many actors is summarised, never printed one line per actor."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import CASE, EVENTS, invoke, write_case

from scoping.errors import ExitCode

GUID = "3f2b9c1e-ab12-4cd3-9e8f-0123456789ab"
LOG = EVENTS + (
    f"2026-09-03T10:00:00Z,{GUID},customer.detail,C1\n"
    "2026-09-03T10:00:00Z,jan.peeters@partner.example,customer.detail,C1\n"
)


def scoped(actors: str, allow: bool = False) -> str:
    case = CASE.replace('actors = ["PRT-0042"]', f"actors = {actors}")
    if allow:
        case = case.replace("[scope]\n", "[scope]\nallow_actors_without_events = true\n")
    return case


def test_actors_as_a_ticket_writes_them_stop_run_and_check(tmp_path: Path) -> None:
    # The ticket writes the account upper case with braces; the log lower case without.
    # A near-miss of an account that is an email address is never quoted.
    actors = f'["PRT-0042", "{{{GUID.upper()}}}", "PRT-42", "jan.peeters@partner.exampl"]'
    case = write_case(tmp_path / "c", case=scoped(actors), events=LOG)
    for command in ("run", "check"):
        extra = ["--out", str(tmp_path / "out")] if command == "run" else []
        result = invoke(command, case, *extra)
        assert result.exit_code == int(ExitCode.SCOPE) == 7, result.stderr
        assert "3 actor(s) of [scope] have no event in the access log" in result.stderr
        assert f"'{{{GUID.upper()}}}' (did you mean '{GUID}'?)" in result.stderr
        assert "'PRT-42' (did you mean 'PRT-0042'?)" in result.stderr
        # The email-like near miss is shown as a hash prefix of its value, never as the value.
        assert "(did you mean 'sha256:" in result.stderr
        assert "jan.peeters@partner.example" not in result.stderr.replace("exampl'", "")
        assert "allow_actors_without_events" in result.stderr
    assert not (tmp_path / "out").exists()


def test_allowed_actors_without_events_are_recorded(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case=scoped('["PRT-0042", "NEVER-1"]', allow=True))
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "1 actor(s) of [scope] have no event in the access log" in result.stderr
    assert "'NEVER-1'" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    scope = manifest["parameters"]["scope"]
    assert scope["allow_actors_without_events"] is True
    assert scope["actors_without_events"] == 1
    assert "actors_without_events.csv" in {o["file"] for o in manifest["outputs"]}
    assert (out / "actors_without_events.csv").read_text(encoding="utf-8") == 'actor\n"NEVER-1"\n'
    result = invoke("check", case)
    assert result.exit_code == 0, result.stderr
    assert "'NEVER-1'" in result.stderr


# The queries that run only when an actor of the scope has no event in the logs.
QUIET_QUERIES = (
    "actors_with_events_elsewhere",
    "actor_suggestions",
    "actors_without_events_report",
)


def manifest_queries(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [q["name"] for q in manifest["queries"]]


def test_the_manifest_lists_the_did_you_mean_only_when_it_ran(tmp_path: Path) -> None:
    allowed = write_case(tmp_path / "a", case=scoped('["PRT-0042", "PRT-42"]', allow=True))
    assert invoke("run", allowed, "--out", tmp_path / "a-out").exit_code == 0
    ran = manifest_queries(tmp_path / "a-out")
    assert set(QUIET_QUERIES) <= set(ran)
    # In the order they ran: the actors are found, then looked for elsewhere, then suggested.
    order = [ran.index(n) for n in ("actors_without_events", *QUIET_QUERIES)]
    assert order == sorted(order)
    # The same case with a scope that matches: those queries did not run, so are not listed.
    matching = write_case(tmp_path / "m", case=scoped('["PRT-0042"]', allow=True))
    assert invoke("run", matching, "--out", tmp_path / "m-out").exit_code == 0
    ran = manifest_queries(tmp_path / "m-out")
    assert "actors_without_events" in ran
    assert not set(QUIET_QUERIES) & set(ran)


def test_a_scope_that_matches_is_no_problem_and_writes_no_extra_file(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert not (out / "actors_without_events.csv").exists()
    assert "no event" not in result.stderr


def test_a_very_large_scope_is_summarised(tmp_path: Path) -> None:
    many = [f"ACC-{i:07d}" for i in range(200_000)]
    root = tmp_path / "c"
    root.mkdir()
    (root / "suspects.txt").write_text("\n".join(many) + "\n", encoding="utf-8")
    case = scoped('["PRT-0042"]\nactors_file = "suspects.txt"')
    path = write_case(root, case=case)
    result = invoke("run", path, "--out", tmp_path / "refused")
    assert result.exit_code == int(ExitCode.SCOPE), result.stderr
    assert "200,000 actor(s) of [scope]" in result.stderr
    assert "and 199,995 more" in result.stderr
    assert len(result.stderr.splitlines()) <= 4

    path.write_text(scoped('["PRT-0042"]\nactors_file = "suspects.txt"', allow=True))
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "200,000 actor(s) of [scope] have no event in the access log" in result.stderr
    assert "ACC-0000025" not in result.stderr  # five named, twenty in the table
    assert "first 20 of 200,001; all in counts.json" in " ".join(result.stderr.split())
    assert len(result.stderr.splitlines()) < 80
    with (out / "actors_without_events.csv").open(encoding="utf-8", newline="") as handle:
        listed = [r["actor"] for r in csv.DictReader(handle)]
    assert listed == many
