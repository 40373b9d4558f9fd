"""`scoping serve` as agents use it: the real server in its own process, searched over HTTP and
from headless Chromium (the distribution's `chromium` and `chromium-driver`, which .ci/run
installs where it can; the browser test is skipped, saying why, where they are missing).

With SCOPING_SCREENSHOT=PATH the browser test also saves its screenshot there (docs/hotline.png
is made so).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from test_hotline import national, run_into

from scoping import readout

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Server:
    url: str
    token: str
    log: Path
    process: subprocess.Popen[bytes]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_into(tmp_path_factory.mktemp("served") / "out")


@pytest.fixture(scope="module")
def server(out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    port = _free_port()
    log = folder / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "scoping", "serve", str(out), "--port", str(port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "COLUMNS": "200"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text(encoding="utf-8")) from None
                time.sleep(0.2)
        printed = log.read_text(encoding="utf-8")
        token = printed.split("?token=", 1)[1].split()[0]
        yield Server(url, token, log, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def affected_row(out: Path) -> dict[str, str]:
    """A recipient with a mobile number, from recipients.csv (not through the index)."""
    lines = (out / "recipients.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    for line in lines[1:]:
        row = dict(zip(header, (c.strip('"') for c in line.split(";")), strict=False))
        if row["mobile"] and row["channel"] == "sms" and row["minor"] == "false":
            return row
    raise AssertionError("no recipient with a mobile number")


def test_the_server_answers_and_its_log_holds_no_personal_value(server: Server, out: Path) -> None:
    row = affected_row(out)
    with httpx.Client(base_url=server.url, follow_redirects=False) as client:
        assert client.get("/").status_code == 403
        assert client.get(f"/?token={server.token}").status_code == 303
        answer = client.post("/search", data={"phone": national(row["mobile"]), "lang": "fr"})
        assert answer.status_code == 200 and row["first_name"] in answer.text
        bad = client.post("/search", data={"phone": "12"})
        assert "not a possible number" in bad.text
    printed = server.log.read_text(encoding="utf-8")
    assert "Hotline for case" in printed
    for value in (row["mobile"], national(row["mobile"]), row["first_name"], row["last_name"]):
        assert value not in printed
    assert "POST" not in printed and "/search" not in printed  # no access log


def _browser() -> tuple[str, str] | str:
    """The Chromium and chromedriver to drive, or why the test cannot run."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        return "headless Chromium not installed (Debian packages chromium, chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return chromium, driver


def test_an_agent_types_a_national_number_and_reads_the_answer(
    server: Server, out: Path, tmp_path: Path
) -> None:
    found = _browser()
    if isinstance(found, str):
        pytest.skip(found)
    chromium, driver_path = found
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1100,1000",
    ):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    row = affected_row(out)
    try:
        browser.get(f"{server.url}/?token={server.token}")
        assert "?token" not in browser.current_url  # the token left the address bar
        browser.find_element(By.ID, "phone").send_keys(national(row["mobile"]))
        browser.find_element(By.ID, "lang").send_keys("nl")
        browser.find_element(By.ID, "agent").send_keys("Agent 7")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        section = browser.find_element(By.CSS_SELECTOR, "section.person")
        text = section.text
        assert row["first_name"] in text and row["last_name"] in text
        assert readout.words("nl")["affected"] in text
        assert readout.words("nl")["channel"]["sms"] in text
        assert browser.current_url == f"{server.url}/search"  # the number is in no address
        shot = tmp_path / "hotline.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if target := os.environ.get("SCOPING_SCREENSHOT"):
            shutil.copyfile(shot, target)
    finally:
        browser.quit()
