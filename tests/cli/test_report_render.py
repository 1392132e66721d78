"""The monthly report's HTML page in a real browser: Debian's headless Chromium lays it out,
every chart is on the page with a visible size and drawn marks, a screenshot shows them, and
the page prints to PDF.

Skipped only when Chromium is missing and $CI is unset; under CI a missing Chromium fails
(.ci/run installs it), so CI can never pass by skipping this check.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.helpers import Socmed

CHARTS = 5
PROBE = """<script>
const found = [...document.querySelectorAll('figure.chart')].map(figure => {
  const svg = figure.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0, top: -1};
  const style = svg ? getComputedStyle(svg) : {display: 'none', visibility: 'hidden'};
  return {id: figure.id, width: box.width, height: box.height, top: box.top + scrollY,
          shown: style.display !== 'none' && style.visibility !== 'hidden',
          marks: svg ? svg.querySelectorAll('path, use').length : 0,
          title: figure.getAttribute('aria-label')};
});
const out = document.createElement('pre');
out.id = 'probe';
out.textContent = JSON.stringify({charts: found, width: document.body.scrollWidth});
document.body.appendChild(out);
</script>"""


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must 'apt-get install -y chromium' "
                        "(CI must run the browser render test)")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    return found


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "HOME": str(tmp_path)})


@pytest.fixture
def browser() -> str:
    return chromium()


@pytest.fixture
def page(browser: str, demo_store: Socmed, demo_run: tuple[Path, Result],
         tmp_path: Path) -> Path:
    out = tmp_path / "laporan-2026-12.html"
    demo_store.ok("--lang", "id", "report", "monthly", "--month", "2026-12", "--format",
                  "html", "--out", str(out))
    return out


def test_every_chart_is_laid_out_and_visible(page: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                     encoding="utf-8")
    done = run_chromium(tmp_path, "--virtual-time-budget=5000", "--window-size=1280,2000",
                        "--dump-dom", probe.as_uri())
    match = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert match, (done.returncode, done.stderr[-2000:])
    data = json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    charts = data["charts"]
    assert len(charts) == CHARTS
    for chart in charts:
        assert chart["shown"], chart
        assert chart["width"] > 300 and chart["height"] > 120, chart
        assert chart["marks"] > 10, chart  # bars, axes and text drawn as paths
        assert chart["top"] >= 0, chart
    assert data["width"] <= 1280  # nothing overflows the window sideways


def test_screenshot_shows_the_charts(page: Path, tmp_path: Path) -> None:
    from PIL import Image

    shot = tmp_path / "laporan-2026-12.png"
    done = run_chromium(tmp_path, "--window-size=1280,5200", f"--screenshot={shot}",
                        page.as_uri())
    assert shot.exists() and shot.stat().st_size > 50_000, done.stderr[-2000:]
    keep = os.environ.get("SOCMED_SCREENSHOT_DIR")
    if keep:  # CI or a developer may keep the picture to look at
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / shot.name)
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 5200)
    colours = image.getcolors(maxcolors=1 << 24) or []
    bars = sum(n for n, p in colours if abs(p[0] - 31) < 12 and abs(p[1] - 78) < 12
               and abs(p[2] - 121) < 12)  # the charts' first colour, #1f4e79
    ink = sum(n for n, p in colours if sum(p) < 600)
    assert bars > 20_000, bars  # the bars of several charts are painted
    assert ink > 100_000, ink


def test_the_page_prints(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "laporan-2026-12.pdf"
    done = run_chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        page.as_uri())
    assert pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2
