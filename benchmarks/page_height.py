"""Benchmark: how tall ``report.html`` is in a browser, and where each section starts.

Opens the page in headless Chromium at a given width, lets it lay the page
out, and prints the top of every ``h2``/``h3`` and the page's full height
[px]. Issue 13 found the demo's page 25,800 px tall at 1280 px.

Needs ``chromium`` on the PATH (``apt-get install -y chromium``); the test
suite does not (it checks what is folded, ``tests/report/test_report_demo.py``).

Usage: ``python benchmarks/page_height.py reports/2025/report.html [--width 1280]``
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_PROBE = """<script>window.addEventListener('load', () => {
  const out = [];
  document.querySelectorAll('h2, h3').forEach(h => out.push(
    Math.round(h.getBoundingClientRect().top + scrollY) + '\\t' + h.tagName + '\\t' + h.textContent));
  out.push(document.documentElement.scrollHeight + '\\tEND\\t');
  const p = document.createElement('pre'); p.id = 'PROBE'; p.textContent = out.join('\\n');
  document.body.appendChild(p);
});</script>"""


def measure(page: Path, width: int) -> list[tuple[int, str, str]]:
    """(top [px], tag, text) of every heading, and (height [px], 'END', '') last."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("chromium is not installed: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "page.html"
        probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"),
                         encoding="utf-8")
        dom = subprocess.run([browser, "--headless", "--no-sandbox", f"--window-size={width},1000",
                              "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
                             capture_output=True, text=True, check=True).stdout
    m = re.search(r'<pre id="PROBE">(.*?)</pre>', dom, re.S)
    if m is None:
        sys.exit("the page did not lay out")
    rows = []
    for line in html.unescape(m.group(1)).splitlines():
        top, tag, text = line.split("\t", 2)
        rows.append((int(top), tag, text))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--width", type=int, default=1280)
    args = ap.parse_args()
    for top, tag, text in measure(args.page, args.width):
        print(f"{top:>7} px  {tag:<3} {text}")


if __name__ == "__main__":
    main()
