"""report.md: the same blocks as the HTML page, in Markdown.

Charts are referenced as ``charts/<name>.png``. User text is escaped so it
can neither break a table nor inject HTML into a Markdown viewer.
"""

from __future__ import annotations

from .data import ReportData
from .document import Badge, Block
from .i18n import t

_MD_SPECIAL = str.maketrans({
    # "_" inside words never emphasises in CommonMark; leaving it keeps ids and
    # file names greppable. "<" and "&" are enough to stop inline HTML.
    "\\": "\\\\", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]", "|": "\\|",
    "<": "&lt;", "&": "&amp;", "\n": " ", "\r": " ",
})


def md_escape(s) -> str:
    """Escape Markdown and inline-HTML characters in one line of text."""
    return str(s).translate(_MD_SPECIAL)


def _cell(v) -> str:
    if isinstance(v, Badge):
        # no colour in Markdown: an incomplete figure is marked so it cannot be misread
        mark = "⚠ " if v.status == "incomplete" else ""
        return f"{mark}**{md_escape(v.word)}**"
    return md_escape(v)


def _table(b: Block) -> str:
    head = "| " + " | ".join(md_escape(h) for h in b.header) + " |"
    sep = "|" + "|".join("---:" if i in b.numeric else "---" for i in range(len(b.header))) + "|"
    rows = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in b.rows]
    return "\n".join([head, sep, *rows])


def _block(b: Block, lang: str) -> list[str]:
    """One block as Markdown paragraphs (a fold has no folding in Markdown: its blocks follow)."""
    if b.kind == "h1":
        return [f"# {md_escape(b.text)}"]
    if b.kind == "h2":
        return [f"## {md_escape(b.text)}"]
    if b.kind == "h3":
        return [f"### {md_escape(b.text)}"]
    if b.kind == "p":
        return [md_escape(b.text)]
    if b.kind == "ul":
        return ["\n".join(f"- {md_escape(i)}" for i in b.items)]
    if b.kind == "table":
        return [_table(b)]
    if b.kind == "chart":
        alt = t("chart_alt", lang, title=b.chart.title.replace("\n", " "))
        return [f"![{md_escape(alt)}](charts/{b.chart.name}.png)"]
    if b.kind == "fold":
        return [p for c in b.items for p in _block(c, lang)]
    return []


def render_markdown(data: ReportData, blocks: list[Block]) -> str:
    """The whole report as Markdown (no time stamp, so reruns are identical)."""
    out = [p for b in blocks for p in _block(b, data.language)]
    return "\n\n".join(out) + "\n"
