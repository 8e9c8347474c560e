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


def render_markdown(data: ReportData, blocks: list[Block]) -> str:
    """The whole report as Markdown (no time stamp, so reruns are identical)."""
    lang = data.language
    out = []
    for b in blocks:
        if b.kind == "h1":
            out.append(f"# {md_escape(b.text)}")
        elif b.kind == "h2":
            out.append(f"## {md_escape(b.text)}")
        elif b.kind == "h3":
            out.append(f"### {md_escape(b.text)}")
        elif b.kind == "p":
            out.append(md_escape(b.text))
        elif b.kind == "ul":
            out.append("\n".join(f"- {md_escape(i)}" for i in b.items))
        elif b.kind == "table":
            out.append(_table(b))
        elif b.kind == "chart":
            alt = t("chart_alt", lang, title=b.chart.title.replace("\n", " "))
            out.append(f"![{md_escape(alt)}](charts/{b.chart.name}.png)")
    return "\n\n".join(out) + "\n"
