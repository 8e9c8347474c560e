"""report.html: one self-contained page (inline CSS, charts as data URIs).

No external requests: no http(s) URL in any src/href/link/script/@import.
All text, including every user-supplied string, goes through ``html.escape``.
"""

from __future__ import annotations

import base64
from html import escape

from .data import ReportData
from .document import Badge, Block
from .i18n import fmt_date, t

CSS = """
:root { --ink: #1a1a1a; --muted: #555; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 0 auto; padding: 1.5rem; line-height: 1.45; }
h1 { margin-bottom: .2rem; }
h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { margin-top: 1.6rem; }
p.subtitle { color: var(--muted); margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0 1.2rem; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .3rem .45rem; text-align: left;
         vertical-align: top; }
th { background: #f2f2f2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.wrap { word-break: break-all; }
.badge { display: inline-block; padding: .1rem .5rem; border-radius: .8rem; font-weight: 600;
         white-space: nowrap; }
.badge-achieved { background: #009E73; color: #fff; }
.badge-on_track { background: #0072B2; color: #fff; }
.badge-off_track { background: #D55E00; color: #fff; }
.badge-no_data { background: #6b6b6b; color: #fff; }
.badge-incomplete { background: #fff; color: #8a1c5c; border: 2px dashed #CC79A7; }
/* a chart is read at about the width of a book page: full width, it was as tall as a screen */
figure { margin: 1rem 0; max-width: 48rem; }
figure img { width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: .85rem; color: var(--muted); }
nav ul { columns: 2; }
.scroll { overflow-x: auto; }
details { margin: .8rem 0 1.2rem; }
summary { cursor: pointer; color: #0072B2; }
/* a phone (400 px): the status table keeps indicator, value, target and status */
@media (max-width: 640px) {
  body { padding: .6rem; }
  table { font-size: .8rem; }
  th, td { padding: .25rem .3rem; }
  table.status th:nth-child(3), table.status td:nth-child(3),
  table.status th:nth-child(4), table.status td:nth-child(4),
  table.status th:nth-child(7), table.status td:nth-child(7) { display: none; }
  table.status td.num { white-space: normal; }
  nav ul { columns: 1; }
}
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  @page { size: A4; margin: 15mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-before: page; }
  h2#status { break-before: avoid; }
  h2, h3 { break-after: avoid; }
  figure, table, tr { break-inside: avoid; }
  details > summary { display: none; }
  .scroll { overflow: visible; }
  .badge { border: 1px solid #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def _cell(value, numeric: bool, tag: str = "td") -> str:
    cls = ' class="num"' if numeric else ""
    if isinstance(value, Badge):
        return (f'<{tag}><span class="badge badge-{escape(value.status)}">'
                f"{escape(value.word)}</span></{tag}>")
    s = str(value)
    if not numeric and len(s) > 40 and " " not in s:
        cls = ' class="wrap"'  # hashes and long ids must not widen the page
    return f"<{tag}{cls}>{escape(s)}</{tag}>"


def _table(b: Block) -> str:
    head = "".join(_cell(h, i in b.numeric, "th") for i, h in enumerate(b.header))
    body = "\n".join("<tr>" + "".join(_cell(v, i in b.numeric) for i, v in enumerate(row)) + "</tr>"
                     for row in b.rows)
    cls = f' class="{escape(b.role)}"' if b.role else ""
    table = (f'<div class="scroll"><table{cls}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
             f"{body}\n</tbody>\n</table></div>")
    if b.folded:
        # long reference tables stay folded: the page is read, they are looked up
        return f"<details><summary>{escape(b.folded)}</summary>\n{table}\n</details>"
    return table


def _chart(b: Block, lang: str) -> str:
    c = b.chart
    svg = c.svg.read_bytes()
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    alt = t("chart_alt", lang, title=c.title.replace("\n", " "))
    return (f'<figure id="chart-{escape(c.name)}" data-chart="{escape(c.name)}">'
            f'<img src="{uri}" alt="{escape(alt)}"></figure>')


def _leaf(b: Block, lang: str, first_p: bool) -> str:
    """One block that is not a heading, as HTML (a fold with its blocks inside)."""
    if b.kind == "p":
        cls = ' class="subtitle"' if first_p else ""
        return f"<p{cls}>{escape(b.text)}</p>"
    if b.kind == "ul":
        return "<ul>" + "".join(f"<li>{escape(str(i))}</li>" for i in b.items) + "</ul>"
    if b.kind == "table":
        return _table(b)
    if b.kind == "chart":
        return _chart(b, lang)
    if b.kind == "fold":
        # detail opened when wanted: the page is read, its folds are looked up
        inner = "\n".join(_leaf(c, lang, False) for c in b.items)
        return f"<details><summary>{escape(b.text)}</summary>\n{inner}\n</details>"
    return ""


def render_html(data: ReportData, blocks: list[Block]) -> str:
    """The whole report as one HTML string."""
    lang = data.language
    parts = []
    title = ""
    nav = []
    nav_at = None
    first_p = True
    for b in blocks:
        anchor = f' id="{escape(b.anchor)}"' if b.anchor else ""
        if b.kind == "h1":
            title = b.text
            parts.append(f"<h1>{escape(b.text)}</h1>")
        elif b.kind in ("h2", "h3"):
            if b.kind == "h2" and nav and nav_at is None:
                nav_at = len(parts)     # before the second section
            if b.kind == "h2" and b.anchor:
                nav.append(f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>')
            parts.append(f"<{b.kind}{anchor}>{escape(b.text)}</{b.kind}>")
        else:
            parts.append(_leaf(b, lang, first_p and b.kind == "p"))
            first_p = first_p and b.kind != "p"
    # the status section (its table and what is incomplete) owns the first
    # screen; navigation comes right after it
    nav_html = f'<nav><h2 class="toc">{escape(t("toc", lang))}</h2><ul>{"".join(nav)}</ul></nav>'
    parts.insert(nav_at if nav_at is not None else len(parts), nav_html)
    generated = data.summary.get("generated_at", "")
    footer = f"<footer>{escape(t('generated', lang, date=fmt_date(generated, lang)))}</footer>"
    org = data.summary.get("organisation", "")
    return ("<!DOCTYPE html>\n"
            f'<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – {escape(str(org))}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n" + footer + "\n</body>\n</html>\n")
