"""The report and the messages preview, opened in headless Chromium (Debian's `chromium`;
.ci/run installs it where it can): the page loads nothing from outside the file, every
chart is drawn, and a screenshot has the size asked and is not blank."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke

from scoping import charts

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "telecom"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run"
    " installs it when run as root)",
)
WIDTH, HEIGHT = 1100, 1400


def _chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Chromium on one page, kept off the network: every request it would send goes to a
    closed port on this machine, and its own services (sync, updates) are off."""
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # CI runs as root, where the sandbox cannot start
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def _page_requests(tmp_path: Path, page: Path) -> tuple[str, list[str]]:
    """The page's DOM once loaded, and every URL the page itself asked for (Chromium's net
    log: requests made on behalf of a file:// page)."""
    log = tmp_path / "net.json"
    dom = _chromium(tmp_path, page, f"--log-net-log={log}", "--dump-dom").stdout
    events = json.loads(log.read_text(encoding="utf-8"))
    kinds = {number: name for name, number in events["constants"]["logEventTypes"].items()}
    urls = [
        e["params"]["url"]
        for e in events["events"]
        if kinds.get(e["type"]) == "URL_REQUEST_START_JOB"
        and str(e.get("params", {}).get("network_isolation_key", "")).startswith("file://")
    ]
    return dom, urls


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    folder = tmp / "telecom"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".scoping-cache"))
    out = tmp / "out"
    result = invoke("--no-cache", "run", folder / "case.toml", "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_a_page_asking_for_something_outside_is_caught(tmp_path: Path) -> None:
    """The check below can fail: a page that loads an image is seen doing it."""
    page = tmp_path / "page.html"
    page.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    _, urls = _page_requests(tmp_path, page)
    assert urls == ["http://127.0.0.1:9/x.png"]


@pytest.mark.parametrize("name", ["report.html", "messages_preview.html"])
def test_the_page_loads_nothing_from_outside_the_file(
    example_out: Path, tmp_path: Path, name: str
) -> None:
    dom, urls = _page_requests(tmp_path, example_out / name)
    assert urls == []
    assert "</html>" in dom


def test_every_chart_of_the_report_is_drawn(example_out: Path, tmp_path: Path) -> None:
    dom, _ = _page_requests(tmp_path, example_out / "report.html")
    figures = re.findall(r'<figure class="chart"[^>]*>(.*?)</figure>', dom, re.DOTALL)
    assert len(figures) >= 3  # categories, timeline, one per actor
    for figure in figures:
        assert "<svg" in figure and charts.is_drawn(figure)


@pytest.mark.parametrize("name", ["report.html", "messages_preview.html"])
def test_a_screenshot_has_the_size_asked_and_is_not_blank(
    example_out: Path, tmp_path: Path, name: str
) -> None:
    from PIL import Image

    shot = tmp_path / "shot.png"
    _chromium(
        tmp_path,
        example_out / name,
        f"--window-size={WIDTH},{HEIGHT}",
        "--hide-scrollbars",
        f"--screenshot={shot}",
    )
    with Image.open(shot) as image:
        assert image.size == (WIDTH, HEIGHT)
        pixels = image.convert("L").resize((110, 140))
        values = list(pixels.tobytes())
    ink = sum(1 for v in values if v < 200) / len(values)
    assert 0.02 < ink < 0.9, f"{ink:.1%} of the page is dark"
    assert len(set(values)) > 20
