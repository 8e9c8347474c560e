"""The ``klimaregnskap`` command line (DESIGN §6).

Bad input never prints a traceback: errors name the file, the row and the
column, say what was expected, and the exit code is non-zero.

Imports: the modules every command needs are imported here. The computing
stack (pandas, pint, pandera through the factor library, the pipeline, the
report renderers) is imported inside the commands that compute, on purpose:
``load`` of meter data and ``status`` on an unchanged project run without it
(DESIGN §7 asks for a ``status`` that answers in a second).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from klimaregnskap import __version__, importing, ledger, state
from klimaregnskap.config import CONFIG_NAME, load_config
from klimaregnskap.display import NB_GROUP, auto_decimals, energy_unit, fmt_num, fmt_pct
from klimaregnskap.errors import ConfigError, KlimaError
from klimaregnskap.region import REGION_NAME, is_region, load_region
from klimaregnskap.vocabulary import indicators, status_names

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Climate and sustainability accounts for hospital trusts.")
# Output to a file or a pipe has no width to fit: tables keep their natural
# width there, so no column is wrapped or cut to an ellipsis.
_UNLIMITED = 100_000
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else _UNLIMITED)
err = Console(stderr=True, highlight=False, soft_wrap=True,
              width=None if sys.stderr.isatty() else _UNLIMITED)

LANGUAGES = ("nb", "en")

#: what marks a project folder (DESIGN §2): an organisation or a region
PROJECT_MARKERS = (CONFIG_NAME, REGION_NAME)


def find_project(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding a ``klimaregnskap.toml`` or
    ``region.toml`` (DESIGN §2, as git finds its repository); ``start`` when none does,
    so that the error names the folder the command was run in."""
    start = Path(start)
    for d in (start.resolve(), *start.resolve().parents):
        if any((d / m).is_file() for m in PROJECT_MARKERS):
            return Path(os.path.relpath(d))
    return start


def _project_option(value: Optional[Path]) -> Path:
    return Path(value) if value is not None else find_project(Path("."))


ProjectOpt = typer.Option(None, "--project", "-p", callback=_project_option,
                          help="Project folder (default: the nearest folder at or above the "
                               "current one with a klimaregnskap.toml).")
LangOpt = typer.Option(None, "--lang", help="nb or en (default: the project's language).")


def _version(value: bool) -> None:
    if value:
        out.print(f"klimaregnskap {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Climate and sustainability accounts for hospital trusts."""

STATUS_STYLE = {"achieved": "bold green", "on_track": "green", "off_track": "bold red",
                "no_data": "yellow", "no_baseline": "yellow", "incomplete": "bold magenta",
                "no_target": "dim"}


def friendly(fn):
    """Print KlimaError without a traceback and exit non-zero."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KlimaError as exc:
            _print_error(exc)
            raise typer.Exit(code=1)
        except (KeyboardInterrupt, typer.Exit):
            raise
        except Exception as exc:  # a bug, not bad input: short message, traceback on request
            if os.environ.get("KLIMAREGNSKAP_DEBUG"):
                raise
            err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}\n"
                      "Set KLIMAREGNSKAP_DEBUG=1 for details and report it.")
            raise typer.Exit(code=2)
    return wrapper


def error_text(exc: Exception) -> str:
    """The message of an error as a person reads it.

    A configuration error names the TOML key as a *key*, not a column.
    """
    if isinstance(exc, ConfigError):
        where = [str(exc.file)] if exc.file is not None else []
        if exc.column is not None and f"'{exc.column}'" not in exc.message:
            where.append(f"key '{exc.column}'")
        text = ": ".join([", ".join(where), exc.message]) if where else exc.message
        if exc.found is not None:
            text += f"; found {exc.found!r}"
        if exc.expected is not None:
            text += f"; expected {exc.expected}"
        return text
    return str(exc)


def _print_error(exc: Exception) -> None:
    # markup off: file names and found values may hold square brackets
    err.print("[bold red]error:[/] ", end="")
    err.print(error_text(exc), markup=False, highlight=False)


def _check_lang(lang: Optional[str]) -> Optional[str]:
    if lang is not None and lang not in LANGUAGES:
        raise KlimaError(f"--lang: unknown language '{lang}'; expected nb or en")
    return lang


def _progress(enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    return lambda msg: err.print(f"[dim]… {msg}[/]")


def _trust_config(project: Path):
    """The trust's configuration; in a region folder, an error pointing to ``region``."""
    if not (Path(project) / CONFIG_NAME).is_file() and is_region(project):
        raise KlimaError(f"{Path(project) / REGION_NAME}: this is a region folder; use "
                         "'klimaregnskap region report --year YYYY' or 'klimaregnskap region "
                         "status' here (DESIGN §6a)")
    return load_config(project)


def _open(project: Path, *, load_inputs: bool):
    from klimaregnskap.calc import factors as fl

    config = _trust_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    outcome = None
    if load_inputs:
        # the ledger follows inputs/ before anything is computed (DESIGN §3)
        outcome = importing.sync_inputs(con, config, lib, progress=_progress(True))
    return config, lib, con, outcome


def _report_errors(outcome, lang: str = "en") -> bool:
    for path, exc in outcome.errors:
        _print_error(exc)
    if outcome.errors:
        text = _WORDS["not_imported"][LANGUAGES.index(lang)].format(n=len(outcome.errors))
        err.print(f"[red]{escape(text)}[/]")
    return bool(outcome.errors)


def _default_year(con, config) -> int:
    """The last complete year: the year before today's, unless the data stops earlier."""
    last_complete = dt.date.today().year - 1
    last_data = ledger.last_data_year(con)
    return min(last_data, last_complete) if last_data is not None else last_complete


@app.command()
@friendly
def init(directory: Path = typer.Argument(..., help="Folder of the new project."),
         name: str = typer.Option("Mitt HF", help="Organisation name.")):
    """Create a new project folder with a configuration and input templates."""
    from klimaregnskap.templates import create_project  # openpyxl, for the XLSX templates

    created = create_project(directory, name)
    out.print(f"Created project in {escape(str(directory))}:", highlight=False)
    for p in created:
        out.print(f"  {escape(str(p))}")
    out.print("Edit klimaregnskap.toml, copy templates into inputs/ and run "
              "'klimaregnskap check'.")


@app.command()
@friendly
def load(files: list[Path] = typer.Argument(..., help="CSV, XLSX or XLS files to import."),
         project: Path = ProjectOpt, lang: Optional[str] = LangOpt):
    """Validate and import files; a file from outside inputs/ is copied there when accepted."""

    _check_lang(lang)
    config = load_config(project)
    lang = lang or config.language
    con = ledger.connect(project)
    # the factor library is read only if a file needs it (not for meter data)
    outcome, copied = importing.load_into_inputs(con, files, config, None,
                                                 progress=_progress(True))
    copies = {c.target: c for c in copied}
    for r in outcome.records:
        c = copies.get(r.file)
        where = ""
        if c is not None:
            replacing = (", replacing the file of that name"
                         if c.replaced and not (r.skipped and not r.restored) else "")
            where = f" (copied to {escape(c.target)}{replacing})"
        if r.skipped and not r.restored:
            out.print(f"= {escape(r.file)}: already loaded, nothing changed{where}")
        elif r.restored:
            out.print(f"= {escape(r.file)}: this content is in the ledger already; its "
                      f"{r.rows} row{'s' if r.rows != 1 else ''} of {r.kind.replace('_', ' ')} "
                      f"are current under this name{where}")
        else:
            extra = f", {r.superseded_rows} earlier rows superseded" if r.superseded_rows else ""
            out.print(f"+ {escape(r.file)}: {r.rows} row{'s' if r.rows != 1 else ''} of "
                      f"{r.kind.replace('_', ' ')} imported{extra}{where}")
    _load_warnings(outcome, lang)
    if _report_errors(outcome, lang):
        raise typer.Exit(code=1)


def _load_warnings(outcome, lang: str) -> None:
    """The warnings of reading the files (a sheet not read, ...), in ``lang``."""
    for w in outcome.warnings:
        out.print(f"[yellow]{_WORDS['warning'][LANGUAGES.index(lang)]}:[/] {escape(w.text(lang))}")


def _sync_story(outcome, lang: str = "en") -> None:
    """One line per file new, changed and removed since the last sync, and per skipped file,
    in ``lang``."""
    li = LANGUAGES.index(lang)
    for key, names in (("sync_new", outcome.added), ("sync_changed", outcome.changed),
                       ("sync_removed", outcome.removed), ("sync_skipped", outcome.skipped)):
        for name in names:
            out.print(escape(_WORDS[key][li].format(file=name)))


#: Warnings about the input files that ``check`` prints, each with both files named.
INPUT_WARNING_CODES = ("identical_files", "repeated_key", "readings_replaced")


def _input_warnings(acc, lang: str) -> None:
    """Files that repeat each other: identical files, repeated keys, replaced readings."""
    for w in acc.warnings:
        if w.code in INPUT_WARNING_CODES:
            out.print(f"[yellow]{_WORDS['warning'][LANGUAGES.index(lang)]}:[/] "
                      f"{escape(w.text(lang))}")


@app.command()
@friendly
def check(project: Path = ProjectOpt,
          year: Optional[int] = typer.Option(None, help="Only this year's data quality."),
          lang: Optional[str] = LangOpt):
    """Validate config and inputs (the ledger follows inputs/); print data quality per meter and site."""
    from klimaregnskap.calc.indicators import area_problems
    from klimaregnskap.pipeline import build_accounts

    _check_lang(lang)
    config, lib, con, outcome = _open(project, load_inputs=True)
    lang = lang or config.language
    li = LANGUAGES.index(lang)
    n_sites = len(config.sites)
    sites = _WORDS["site" if n_sites == 1 else "sites"][li]
    out.print(f"[bold]{escape(config.name)}[/]: "
              + escape(_WORDS["config_ok"][li].format(sites=f"{n_sites} {sites}",
                                                      rows=len(lib.factors))))
    imported = [r for r in outcome.records if not r.skipped]
    out.print(escape(_WORDS["inputs_line"][li].format(
        valid=len(outcome.records), imported=len(imported), errors=len(outcome.errors),
        skipped=len(outcome.skipped))))
    _sync_story(outcome, lang)
    _load_warnings(outcome, lang)
    bad = _report_errors(outcome, lang)
    last_year = max(_default_year(con, config), config.baseline_year, year or 0)
    acc = build_accounts(con, config, lib, last_year)
    q = acc.quality
    if year:
        q = q[q["year"] == year]
    if not q.empty:
        _print_quality(q, lang)
    else:
        out.print(_WORDS["no_readings"][LANGUAGES.index(lang)])
    _input_warnings(acc, lang)
    _print_incomplete(acc, year, lang)
    for problem in area_problems(config, range(config.baseline_year, last_year + 1)):
        out.print(f"[red]{_WORDS['error'][li]}:[/] {escape(problem)}")
        bad = True
    if bad:
        raise typer.Exit(code=1)


#: headers of check's tables: (nb, en); two lines each so that the table fits 80 columns
QUALITY_COLUMNS = {
    "meter": ("Måler", "Meter"),
    "year": ("År", "Year"),
    "coverage": ("Dekning\n%", "Coverage\n%"),
    "estimated": ("Estimert\n%", "Estimated\n%"),
    "longest_gap": ("Lengste\nhull (t)", "Longest\ngap (h)"),
    "gaps": ("Hull", "Gaps"),
    "spikes": ("Topper", "Spikes"),
}
SITE_COLUMNS = {
    "site": ("Lokasjon", "Site"),
    "meters": ("Målere", "Meters"),
    "lowest_coverage": ("Laveste\ndekning %", "Lowest\ncoverage %"),
    "estimated": ("Estimerte\navlesninger", "Estimated\nreadings"),
}


def _print_quality(q, lang: str) -> None:
    """Data quality per meter and year, then per site (DESIGN §6 ``check``).

    A meter's site, carrier and role stand under its id on its first row, in
    the language's words, so the table fits 80 columns; numbers in the
    language's format, never wrapped (a narrower terminal gets one record per
    meter and year).
    """
    from klimaregnskap.report.i18n import label  # the report's names of carriers and roles

    li = LANGUAGES.index(lang)
    names = {c: h[li] for c, h in QUALITY_COLUMNS.items()}
    rows, styles = [], []
    last = None
    for r in q.itertuples(index=False):
        cov = r.coverage_pct
        first = r.meter_id != last
        last = r.meter_id
        rows.append({
            "meter": (f"{r.meter_id}\n{r.site}, {label('carrier_', r.carrier, lang)}, "
                      f"{label('role_', r.role, lang)}") if first else "",
            "year": str(r.year), "coverage": fmt_num(cov, lang, 2),
            "estimated": fmt_num(r.estimated_pct or 0, lang, 2),
            "longest_gap": _count(r.longest_gap_hours, lang), "gaps": _count(r.gaps, lang),
            "spikes": _count(r.spikes, lang)})
        styles.append("yellow" if (cov == cov and cov < 100) or (r.estimated_pct or 0) > 0
                      else None)
    _print_fitted(_WORDS["quality_title"][li], names, rows, {"meter", "year"}, styles)
    sites = q.groupby("site").agg(meters=("meter_id", "nunique"),
                                  min_coverage=("coverage_pct", "min"),
                                  estimated=("estimated", "sum"))
    rows = [{"site": site, "meters": str(int(r.meters)),
             "lowest_coverage": fmt_num(r.min_coverage, lang, 2),
             "estimated": _count(r.estimated, lang)} for site, r in sites.iterrows()]
    _print_fitted(_WORDS["site_title"][li], {c: h[li] for c, h in SITE_COLUMNS.items()}, rows,
                  {"site"})


def _count(x, lang: str) -> str:
    """A whole number (hours, counts) in the language's format; a fraction keeps two decimals."""
    if x is None or x != x:
        return "–"
    return fmt_num(x, lang, 0 if float(x).is_integer() else 2)


def _print_fitted(title: str, headers: dict[str, str], rows: list[dict[str, str]],
                  left: set[str], styles: list | None = None) -> None:
    """A table that fits the output width, or one record per row when it cannot.

    Cells are never cut: text columns wrap at spaces, numbers never wrap. When
    even that is wider than the width (``COLUMNS``, else the terminal's), each
    row is printed as its first cell and then "header: value" pairs,
    wrapped between pairs.
    """
    width = _output_width()
    t = Table(title=title)
    for c, h in headers.items():
        t.add_column(h, justify="left" if c in left else "right", no_wrap=c not in left)
    for i, r in enumerate(rows):
        t.add_row(*[escape(r[c]) for c in headers], style=(styles or [None] * len(rows))[i])
    if _fits(t, width):
        out.print(t, width=width or _UNLIMITED)
        return
    out.print(title, markup=False)
    first = next(iter(headers))
    for r in rows:
        if r[first]:
            out.print(r[first].replace("\n", ": "), markup=False, highlight=False)
        parts = [f"{headers[c].replace(chr(10), ' ')}: {r[c]}".replace(" ", NB_GROUP)
                 for c in headers if c != first]
        for line in _wrap("   ".join(parts), width, "  "):
            out.print(line, markup=False, highlight=False)


def _print_incomplete(acc, year: Optional[int], lang: str) -> None:
    """One line per reason a year's figure is incomplete (DESIGN §4), naming the indicators.

    Every year from the baseline to the last is listed (a report of any of
    them would say "incomplete"), or only ``year`` when given.
    """
    names = {s.id: s.name for s in acc.config.sites}
    affected: dict[tuple, list[str]] = {}
    for r in acc.completeness.itertuples(index=False):
        if year is not None and r.year != year:
            continue
        for w in r.reasons:
            ind = indicators()[r.indicator].display_name(lang)
            affected.setdefault((r.year, w.text(lang, site_names=names)), []).append(ind)
    for (_y, text), inds in sorted(affected.items()):
        out.print(f"[bold magenta]{escape(status_names()['incomplete'][lang])}[/] "
                  f"({escape(', '.join(inds))}): {escape(text)}")
    if not affected:
        word, text = _WORDS["complete"][LANGUAGES.index(lang)]
        out.print(f"[green]{word}:[/] {text}")


def _fmt(x) -> str:
    if x is None or x != x:
        return "-"
    if float(x).is_integer():
        return f"{int(x)}"
    return f"{x:.2f}"


#: column headers of the status table: (nb, en)
STATUS_COLUMNS = {
    "indicator": ("Indikator", "Indicator"),
    "value": ("Verdi {year}", "Value {year}"),
    "baseline": ("Basisår {year}", "Baseline {year}"),
    "change": ("Endring", "Change"),
    "target": ("Mål", "Target"),
    "path": ("Målsti {year}", "Path {year}"),
    "status": ("Status", "Status"),
    "projected": ("Trend i målåret", "Trend in target year"),
    "required": ("Nødvendig endring/år", "Required change/yr"),
}


@app.command()
@friendly
def status(project: Path = ProjectOpt,
           year: Optional[int] = typer.Option(None, "--year", "-y",
                                              help="Report year (default: last complete year)."),
           lang: Optional[str] = typer.Option(None, "--lang", help="nb or en (default from config).")):
    """The indicators against their targets, in the terminal."""

    _check_lang(lang)
    config = _trust_config(project)
    con = ledger.connect(project)
    # the ledger follows inputs/ (DESIGN §3); the factor library is read only
    # if a new file needs it. While a file has an error, status stops with it.
    outcome = importing.sync_inputs(con, config, None, progress=_progress(True))
    if _report_errors(outcome, lang or config.language):
        raise typer.Exit(code=1)
    year = year or _default_year(con, config)
    lang = lang or config.language
    key = state.accounts_key(config.project_dir, config.path,
                             sorted(ledger.current_files(con).items()), year)
    view = state.read_status(config.project_dir, year, key)
    if view is None:
        # deferred on purpose: pandas, pint and the factor library are read only
        # when the accounts must be computed (an unchanged project reads the cache)
        from klimaregnskap.calc import factors as fl
        from klimaregnskap.pipeline import build_accounts
        from klimaregnskap.summary import status_view

        view = status_view(build_accounts(con, config, fl.load_library(project), year))
        state.write_status(config.project_dir, year, key, view)

    _print_status(view, config, year, lang)


def _print_status(view: dict, config, year: int, lang: str) -> None:
    """The status table and its notes (``status`` and ``region status``)."""
    li = LANGUAGES.index(lang)
    title = f"{config.name}: {year} ({_WORDS['baseline'][li]} {config.baseline_year})"
    rows = status_rows(view, config, year, lang)
    headers = {c: labels[li].format(year=config.baseline_year if c == "baseline" else year)
               for c, labels in STATUS_COLUMNS.items()}
    t = Table(title=title)
    for c, h in headers.items():
        t.add_column(h, justify="left" if c in ("indicator", "status") else "right",
                     no_wrap=c != "indicator")
    for r in rows:
        # a status without a style is printed plain ("[]...[/]" is not markup rich accepts)
        t.add_row(*[f"[{STATUS_STYLE[r['code']]}]{escape(r[c])}[/]"
                    if c == "status" and r["code"] in STATUS_STYLE
                    else escape(r[c]) for c in headers])
    width = _output_width()
    if _fits(t, width):
        out.print(t, width=width or _UNLIMITED)
    else:
        # too narrow for nine columns: one record per indicator, wrapped between
        # figures (a figure and its unit never split: no-break spaces)
        out.print(title, markup=False)
        for r in rows:
            out.print("")
            out.print(f"[bold]{escape(r['indicator'])}[/]: "
                      f"[{STATUS_STYLE.get(r['code'], '')}]{escape(r['status'])}[/]")
            parts = [f"{headers[c]}: {r[c]}".replace(" ", NB_GROUP)
                     for c in headers if c not in ("indicator", "status") and r[c] != "–"]
            for line in _wrap("   ".join(parts), width, "  "):
                out.print(line, markup=False, highlight=False)
    # one line per reason, naming every indicator it makes incomplete
    affected: dict[str, list[str]] = {}
    named_meters = set()
    for name, f in view["indicators"].items():
        for reason in f.get("incomplete_reasons") or []:
            named_meters.add(reason["fields"].get("meter_id"))
            ind_name = indicators()[name].display_name(lang) if name in indicators() else name
            affected.setdefault(reason["text"][lang], []).append(ind_name)
    for text, names in affected.items():
        _print_note(f"{status_names()['incomplete'][lang]} ({', '.join(names)}): {text}", width,
                    "bold magenta")
    warnings = view["warnings"]
    fallbacks = [w for w in warnings if w["code"] == "factor_fallback"
                 and w["fields"].get("year") == year]
    note = _WORDS["note"][li]
    for w in warnings:
        if w["code"] == "missing_meter_year" and w["fields"].get("meter_id") in named_meters:
            continue
        if w["code"] in ("no_data", "missing_meter_year") and w["fields"].get("year", year) == year:
            _print_note(f"{note}: {w['text'][lang]}", width)
    if fallbacks:
        used = ", ".join(f"{w['fields'].get('activity')} {w['fields'].get('factor_year')}"
                         for w in fallbacks)
        _print_note(f"{note}: " + _WORDS["fallback"][li].format(year=year, n=len(fallbacks),
                                                                 used=used), width)


def _print_note(text: str, width: int | None, style: str = "yellow") -> None:
    """A note, wrapped to ``width`` between words; its first line in ``style``."""
    lines = [text] if width is None else _wrap(text, width)
    out.print(f"[{style}]{escape(lines[0])}[/]")
    for line in lines[1:]:
        out.print(line, markup=False, highlight=False)


#: words of the terminal: (nb, en); statuses come from vocabulary/statuses.csv
_WORDS = {
    "baseline": ("basisår", "baseline"),
    "increasing": ("økende", "increasing"),
    "reached": ("nådd", "reached"),
    "points": ("p.p.", "pp"),
    "warning": ("advarsel", "warning"),
    "note": ("merk", "note"),
    "no_readings": ("ingen måleravlesninger i hovedboken", "no meter readings in the ledger"),
    "quality_title": ("Datakvalitet per måler og år", "Meter data quality per meter and year"),
    "site_title": ("Per lokasjon", "Per site"),
    "member": ("Medlem", "Member"),
    "members_title": ("Medlemmene: endring {baseline_year}–{year} og status (regionens grunnlag)",
                      "The members: change {baseline_year}-{year} and status (the region's basis)"),
    "fallback": ("ingen faktor for {year} for {n} aktiviteter; faktoren fra et annet år brukes: "
                 "{used} (klimaregnskap factors --year {year})",
                 "no {year} factor for {n} activities; the factor of another year is used: "
                 "{used} (klimaregnskap factors --year {year})"),
    # check's summary and the sync story (DESIGN §6 ``check``)
    "site": ("lokasjon", "site"),
    "sites": ("lokasjoner", "sites"),
    "config_ok": ("konfigurasjonen er i orden ({sites}), faktorbiblioteket er i orden "
                  "({rows} rader)",
                  "configuration OK ({sites}), factor library OK ({rows} rows)"),
    "inputs_line": ("inndata: {valid} gyldige fil(er), {imported} nylig importert, "
                    "{errors} med feil, {skipped} hoppet over",
                    "inputs: {valid} file(s) valid, {imported} newly imported, "
                    "{errors} with errors, {skipped} skipped"),
    "sync_new": ("ny: {file}", "new: {file}"),
    "sync_changed": ("endret: {file}: radene erstatter radene fra det tidligere innholdet",
                     "changed: {file}: its rows replace those of its earlier content"),
    "sync_removed": ("fjernet: {file}: radene er trukket tilbake (beholdt i hovedbokens "
                     "historikk)",
                     "removed: {file}: its rows are withdrawn (kept in the ledger's history)"),
    "sync_skipped": ("hoppet over: {file}: ikke en datafil (CSV, XLSX eller XLS), ikke lest",
                     "skipped: {file}: not a data file (CSV, XLSX or XLS), not read"),
    "not_imported": ("{n} fil(er) ble ikke importert; rett dem og kjør igjen.",
                     "{n} file(s) not imported; fix them and run again."),
    "error": ("feil", "error"),
    "complete": (("komplett", "alle indikatorer for alle år bygger på komplette data"),
                 ("complete", "every indicator of every year rests on complete data")),
}


def status_rows(view: dict, config, year: int, lang: str) -> list[dict[str, str]]:
    """The cells of the status table, as a person reads them.

    Names from ``vocabulary/`` (no internal codes), numbers in the language's
    format, and energy in one unit for the whole table, chosen by its
    largest value (:func:`klimaregnskap.display.energy_unit`: MWh for a trust),
    as in the report. A target already reached needs no change: "nådd".
    """
    li = LANGUAGES.index(lang)
    energy = [abs(f[k]) for f in view["indicators"].values() if f["unit"] == "kWh"
              for k in ("value", "baseline", "target_value", "path_value",
                        "projected_target_year_value") if f.get(k) is not None]
    divisor, energy_shown = energy_unit(max(energy, default=None))

    def num(x, unit):
        if x is None:
            return "–"
        if unit == "%":
            return fmt_pct(x, lang, 1)
        if unit == "kWh":
            x, unit = x / divisor, energy_shown
        return f"{fmt_num(x, lang, auto_decimals(x, unit))}{NB_GROUP}{unit}"

    rows = []
    for name, f in view["indicators"].items():
        unit = f["unit"]
        change = fmt_pct(f.get("change_pct"), lang, 1, sign=True)
        if f.get("change_points") is not None:
            pp = f["change_points"]
            change += f" ({'+' if round(pp, 1) > 0 else ''}{fmt_num(pp, lang, 1)}" \
                      f"{NB_GROUP}{_WORDS['points'][li]})"
        target_spec = config.targets.get(name)
        if f.get("target_value") is not None:
            target = f"{num(f['target_value'], unit)} ({f['target_year']})"
        elif target_spec is not None and target_spec.kind == "increase":
            target = f"{_WORDS['increasing'][li]} ({target_spec.year})"
        else:
            target = "–"
        st = f.get("status") or "no_data"
        if st == "achieved":
            req = _WORDS["reached"][li]
        elif f.get("required_annual_change_pct") is not None:
            req = fmt_pct(f["required_annual_change_pct"], lang, 1, sign=True)
        elif f.get("required_annual_change") is not None:
            req = "-" + num(f["required_annual_change"], unit)
        else:
            req = "–"
        rows.append({
            "code": st,
            "indicator": indicators()[name].display_name(lang) if name in indicators() else name,
            "value": num(f.get("value"), unit), "baseline": num(f.get("baseline"), unit),
            "change": change, "target": target, "path": num(f.get("path_value"), unit),
            "status": status_names().get(st, {}).get(lang, st),
            "projected": num(f.get("projected_target_year_value"), unit), "required": req,
        })
    return rows


def _fits(table: Table, width: int | None) -> bool:
    """Whether ``table`` prints within ``width`` with no cell cut to an ellipsis
    (text columns may wrap at spaces); any width fits when there is none."""
    if width is None:
        return True
    import io

    probe = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    probe.print(table)
    text = probe.file.getvalue()
    return "…" not in text and all(len(line) <= width for line in text.splitlines())


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Lines of at most ``width`` characters, broken at ordinary spaces only."""
    import textwrap

    return textwrap.wrap(text, width=max(width, 20), initial_indent=indent,
                         subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False) or [indent]


def _require_data(con, year: int) -> None:
    """Stop when the ledger holds no row of ``year``: a report of it would be empty."""
    years = ledger.data_years(con)
    if year not in years:
        have = _year_spans(years)
        raise KlimaError(f"--year {year}: no data for {year} in the ledger; "
                         + (f"the inputs have data for {have}" if have
                            else "inputs/ holds no data yet"))


def _year_spans(years: list[int]) -> str:
    """``[2019, 2020, 2021, 2023]`` -> ``'2019-2021, 2023'``."""
    spans: list[list[int]] = []
    for y in years:
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


@app.command()
@friendly
def report(year: Optional[int] = typer.Option(None, "--year", "-y", help="Report year."),
           project: Path = ProjectOpt,
           lang: Optional[str] = typer.Option(None, "--lang", help="nb or en (default from config)."),
           out_dir: Optional[Path] = typer.Option(None, "--out", help="Output folder (default reports/YEAR).")):
    """Write the annual report (brings the ledger to inputs/ first)."""
    from klimaregnskap.pipeline import build_accounts
    from klimaregnskap.report import write_report
    from klimaregnskap.summary import report_data

    _check_lang(lang)
    progress = _progress(True)
    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome, lang or config.language):
        raise typer.Exit(code=1)
    year = year or _default_year(con, config)
    lang = lang or config.language
    _require_data(con, year)
    if progress:
        progress(f"computing the accounts for {year}")
    acc = build_accounts(con, config, lib, year)
    generated_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    data = report_data(acc, language=lang, generated_at=generated_at)
    target = out_dir or (Path(project) / "reports" / str(year))
    files = write_report(data, Path(target), progress=progress)
    # the next report lists what changed since this one (DESIGN §5 ``changes``)
    ledger.record_report(con, generated_at, year, ledger.current_files(con),
                         {k: v.get("value") for k, v in acc.indicators.items()})
    out.print(f"Report for {year} written to {target}:")
    for f in files:
        out.print(f"  {f}")


@app.command("measures")
@friendly
def measures_cmd(project: Path = ProjectOpt,
                 year: Optional[int] = typer.Option(None, "--year", "-y",
                                                    help="Report year (default: last complete year)."),
                 lang: Optional[str] = typer.Option(None, "--lang",
                                                    help="nb or en (default from config).")):
    """The measures with effect, status and cost per tCO2e, and the gap they leave."""
    # deferred on purpose, as in `report`: the computing stack is read only by commands that compute
    from klimaregnskap.pipeline import build_accounts
    from klimaregnskap.report import text
    from klimaregnskap.report.i18n import t
    from klimaregnskap.summary import report_data

    _check_lang(lang)
    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome, lang or config.language):
        raise typer.Exit(code=1)
    year = year or _default_year(con, config)
    lang = lang or config.language
    data = report_data(build_accounts(con, config, lib, year), language=lang)
    if data.measures is None or data.measures.empty:
        out.print(t("measures_none", lang, year=year))
        return
    out.print(f"[bold]{escape(config.name)}: {escape(t('sec_measures', lang))} {year}[/]")
    shown = text.measure_indicators(data)
    for name in shown + [i for i in dict.fromkeys(data.measures["indicator"]) if i not in shown]:
        rows = text.measure_rows(data, name)
        ind_name = indicators()[name].display_name(lang) if name in indicators() else name
        tab = Table(title=f"{ind_name} ({name})", title_justify="left")
        for j, h in enumerate(text.measure_header(data)):
            tab.add_column(h, justify="right" if j in (3, 4, 5) else "left")
        for r in rows:
            tab.add_row(*[escape(str(c)) for c in r])
        out.print(tab)
        if name in shown:
            gap = data.summary["indicators"][name].get("gap_after_measures")
            style = "bold red" if gap is not None and gap > 0 else "green"
            out.print(f"[{style}]{escape(text.measure_sentence(data, name))}[/]")
    ideas = data.measures.loc[data.measures["status"] == "idea", "name"].tolist()
    if ideas:
        out.print(escape(t("measures_ideas", lang, names=", ".join(ideas))))


@app.command()
@friendly
def export(year: Optional[int] = typer.Option(None, "--year", "-y",
                                             help="Only this year (default: every year)."),
           fmt: str = typer.Option("parquet", "--format", help="parquet (default) or csv."),
           out_dir: Optional[Path] = typer.Option(None, "--out",
                                                  help="Output folder (default reports/export)."),
           project: Path = ProjectOpt):
    """Write the accounts as tidy tables for Power BI, pandas and SQL engines (DESIGN §5)."""
    # deferred on purpose, as in report: pandas, pyarrow and the pipeline
    from klimaregnskap.export import FORMATS, write_export
    from klimaregnskap.pipeline import build_accounts

    if fmt not in FORMATS:
        raise KlimaError(f"--format: unknown format '{fmt}'; expected parquet or csv")
    if not (Path(project) / CONFIG_NAME).is_file() and is_region(project):
        # a region folder: the members' tables, partitioned by member too (DESIGN §5)
        return _export_region(project, year, fmt, out_dir)
    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome, config.language):
        raise typer.Exit(code=1)
    by = config.baseline_year
    if year is not None and year < by:
        raise KlimaError(f"--year: {year} is before the baseline year {by}")
    # every year: the baseline year to the year report and status default to
    # (the last complete year, or the last data year when the data stops
    # earlier; a year in progress is not exported unless asked for); the
    # accounts of that year cover all of them
    last = year or max(_default_year(con, config), by)
    progress = _progress(True)
    if progress:
        progress(f"computing the accounts for {last}")
    acc = build_accounts(con, config, lib, last)
    years = [year] if year is not None else acc.years
    target = out_dir or (Path(project) / "reports" / "export")
    written = write_export(acc, Path(target), years=years, fmt=fmt)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    out.print(f"Export of {span} ({fmt}) written to {escape(str(target))}:")
    for f in written:
        out.print(f"  {escape(str(f))}")


@app.command("factors")
@friendly
def factors_cmd(project: Path = ProjectOpt,
                activity: Optional[str] = typer.Option(None, "--activity", "-a",
                                                       help="Only this activity."),
                year: Optional[int] = typer.Option(
                    None, "--year", "-y",
                    help="Per series, the row in force in this year and whether it falls back."),
                fmt: str = typer.Option("table", "--format", "-f", help="table or csv (full rows)."),
                lang: Optional[str] = typer.Option(
                    None, "--lang", help="nb or en (default: the project's language, else en).")):
    """List the factor library: activity, year, value, unit, scope, method, source.

    With --year, each series shows the row in force that year and, when it is
    another year's row, 'fallback from' that year (DESIGN §4). The table
    wraps to the terminal width (COLUMNS when not on a terminal); --format csv
    writes the full rows.
    """
    from klimaregnskap.calc import factors as fl

    lang = _check_lang(lang) or _project_language(project)
    if fmt not in ("table", "csv"):
        raise KlimaError(f"--format: unknown format '{fmt}'; expected table or csv")
    lib = fl.load_library(project if (Path(project) / "factors").is_dir() else None)
    df = fl.in_force(lib, year) if year is not None else fl.list_factors(lib, activity=activity)
    if activity is not None:
        df = df[df["activity"] == activity]
    if df.empty:
        known = sorted(set(fl.list_factors(lib)["activity"]))
        if activity is not None and activity not in known:
            near = difflib.get_close_matches(activity, known, n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise KlimaError(f"--activity: unknown activity '{activity}'{hint} "
                             "(run 'klimaregnskap factors' for the full list)")
        raise KlimaError(f"no factor for activity '{activity}' in force in {year}")
    df = df.assign(name=[fl.activity_name(lib, a, lang) for a in df["activity"]])
    if fmt == "csv":
        cols = ["activity", "name", "year", "value", "unit", "scope", "method", "kind", "source",
                "origin"] + (["fallback", "from_year"] if year is not None else [])
        sys.stdout.write(df[cols].to_csv(index=False, lineterminator="\n"))
        return
    title = f"Factor library ({len(df)} rows, sha256 {lib.sha256[:12]})"
    if year is not None:
        title = f"Factors in force in {year} ({len(df)} series, sha256 {lib.sha256[:12]})"
    width = _output_width()
    if width is None:
        # no width to fit (a pipe or a file): one table row per factor row
        t = Table(title=title)
        cols = ["activity", "year", "value", "unit", "scope", "method", "kind", "source"]
        for c in cols:
            t.add_column(c, overflow="fold",
                         justify="right" if c in ("year", "value", "scope") else "left")
        if year is not None:
            t.add_column("in force")
        for r in df.itertuples(index=False):
            row = [escape(_cell(getattr(r, c))) for c in cols]
            if lang == "nb":
                row[0] = escape(_activity_label(r))
            if year is not None:
                row.append(f"fallback from {int(r.from_year)}" if r.fallback else "")
            t.add_row(*row)
        out.print(t)
        return
    out.print(title, markup=False)
    for line in _factor_records(df, width, year, lang):
        out.print(line, markup=False, highlight=False, soft_wrap=True)


def _activity_label(r) -> str:
    """The activity as shown in nb: its Norwegian name, with the code beside it."""
    return r.activity if r.name == r.activity else f"{r.name} ({r.activity})"


def _factor_records(df, width: int, year: int | None, lang: str) -> list[str]:
    """Factor rows as records wrapped to ``width``: a head line (activity,
    year, value and unit, scope, method, kind), the fallback when there is
    one, and the source, indented. Lines break at spaces, so a number
    or a unit is never cut (only a word longer than a whole line, a long URL, is
    split)."""
    import textwrap

    def wrap(text: str, first: str = "", rest: str = "    ") -> list[str]:
        return textwrap.wrap(text, width=max(width, 20), initial_indent=first,
                             subsequent_indent=rest, break_long_words=True,
                             break_on_hyphens=False) or [first.rstrip()]

    lines: list[str] = []
    for r in df.itertuples(index=False):
        name = _activity_label(r) if lang == "nb" else r.activity
        parts = [name, _cell(r.year) or "(GWP)", f"{_cell(r.value)} {r.unit}",
                 f"scope {_cell(r.scope)}" if _cell(r.scope) else "", _cell(r.method), r.kind]
        lines += wrap("  ".join(p for p in parts if p), rest="      ")
        if year is not None and r.fallback:
            lines += wrap(f"fallback: no row for {year}; the {int(r.from_year)} row is in force",
                          "    ")
        lines += wrap(f"source: {r.source}", "    ")
    return lines


def _output_width() -> int | None:
    """The width to fit: COLUMNS when set (also without a terminal), else the
    terminal's; None for a pipe or a file without COLUMNS."""
    cols = os.environ.get("COLUMNS", "")
    if cols.isdigit() and int(cols) > 0:
        return int(cols)
    # the output console was made for a terminal (its width) or not (unlimited)
    return None if out.width >= _UNLIMITED else out.width


def _project_language(project: Path) -> str:
    """The project's language when it has a klimaregnskap.toml, else en."""
    if not (Path(project) / "klimaregnskap.toml").is_file():
        return "en"
    try:
        return load_config(project).language or "en"
    except (ConfigError, KlimaError):
        return "en"


def _cell(v) -> str:
    """A table cell: missing values (None, NaN, pd.NA) as blank, numbers without noise."""
    import pandas as pd

    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e15 else str(v)
    return str(v)


@app.command()
@friendly
def explain(indicator: str = typer.Argument(..., help="emissions, energy, food_waste, ..."),
            year: int = typer.Option(..., "--year", "-y"),
            site: Optional[str] = typer.Option(None, "--site", help="Only this site."),
            project: Path = ProjectOpt, lang: Optional[str] = LangOpt):
    """How a figure was made: its parts down to input files, rows and factors."""
    from klimaregnskap.pipeline import build_accounts
    from klimaregnskap.explain import explain_figure

    _check_lang(lang)
    config, lib, con, outcome = _open(project, load_inputs=True)
    lang = lang or config.language
    if site is not None and site not in config.site_ids:
        raise KlimaError(f"--site: unknown site '{site}'; expected one of {', '.join(config.site_ids)}")
    if _report_errors(outcome, lang):
        raise typer.Exit(code=1)
    acc = build_accounts(con, config, lib, year)
    text = explain_figure(acc, indicator, site=site, lang=lang)
    out.print(text, markup=False)


region_app = typer.Typer(no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                         help="A region: its members' accounts added up (region.toml, DESIGN §6a).")
app.add_typer(region_app, name="region")


def _region_accounts(project: Path, year: Optional[int]):
    """The region of ``project`` and its accounts (members read, never written)."""
    from klimaregnskap.region import region_accounts

    region = load_region(project)
    progress = _progress(True)
    if progress:
        progress(f"reading {len(region.members)} members' ledgers (read-only)")
    acc, members = region_accounts(region, year)
    return region, acc, members


@region_app.command("report")
@friendly
def region_report(year: Optional[int] = typer.Option(None, "--year", "-y", help="Report year."),
                  project: Path = ProjectOpt, lang: Optional[str] = LangOpt,
                  out_dir: Optional[Path] = typer.Option(
                      None, "--out", help="Output folder (default reports/YEAR in the region).")):
    """Write the region's report: its members' accounts on the region's basis, added up."""
    from klimaregnskap.report import write_report
    from klimaregnskap.summary import report_data

    _check_lang(lang)
    region, acc, _members = _region_accounts(project, year)
    lang = lang or region.language
    generated_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    data = report_data(acc, language=lang, generated_at=generated_at)
    target = out_dir or (Path(project) / "reports" / str(acc.report_year))
    files = write_report(data, Path(target), progress=_progress(True))
    out.print(f"Region report for {acc.report_year} ({len(region.members)} members) written to "
              f"{escape(str(target))}:")
    for f in files:
        out.print(f"  {escape(str(f))}")


def _export_region(project: Path, year: Optional[int], fmt: str, out_dir: Optional[Path]) -> None:
    from klimaregnskap.export import write_region_export

    region, acc, members = _region_accounts(project, year)
    years = [year] if year is not None else acc.years
    target = out_dir or (Path(project) / "reports" / "export")
    written = write_region_export(members, acc, Path(target), years=years, fmt=fmt)
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    out.print(f"Export of {span} ({fmt}, {len(region.members)} members) written to "
              f"{escape(str(target))}:")
    for f in written:
        out.print(f"  {escape(str(f))}")


@region_app.command("export")
@friendly
def region_export(year: Optional[int] = typer.Option(None, "--year", "-y",
                                                    help="Only this year (default: every year)."),
                  fmt: str = typer.Option("parquet", "--format", help="parquet (default) or csv."),
                  out_dir: Optional[Path] = typer.Option(
                      None, "--out", help="Output folder (default reports/export)."),
                  project: Path = ProjectOpt):
    """The region's tidy tables: every member's rows, partitioned by year and member (DESIGN §5)."""
    from klimaregnskap.export import FORMATS

    if fmt not in FORMATS:
        raise KlimaError(f"--format: unknown format '{fmt}'; expected parquet or csv")
    _export_region(project, year, fmt, out_dir)


@region_app.command("status")
@friendly
def region_status(project: Path = ProjectOpt,
                  year: Optional[int] = typer.Option(None, "--year", "-y",
                                                     help="Report year (default: the last "
                                                          "complete year of every member)."),
                  lang: Optional[str] = LangOpt):
    """The region's indicators against its targets, and each member's, in the terminal."""
    from klimaregnskap.summary import status_view

    _check_lang(lang)
    region, acc, members = _region_accounts(project, year)
    lang = lang or region.language
    _print_status(status_view(acc), acc.config, acc.report_year, lang)
    # per member, on the region's basis: the change since the baseline and the status
    names = [k for k in indicators() if k != "climate_neutral"
             and any(k in m.indicators for _i, _n, m in members)]
    headers = {"member": _WORDS["member"][LANGUAGES.index(lang)]}
    headers.update({k: indicators()[k].display_name(lang) for k in names})
    rows = []
    for mid, name, m in members:
        row = {"member": f"{name} ({mid})"}
        for k in names:
            f = m.indicators.get(k) or {}
            st = f.get("status") or "no_data"
            row[k] = (f"{fmt_pct(f.get('change_pct'), lang, 1, sign=True)} "
                      f"{status_names().get(st, {}).get(lang, st)}")
        rows.append(row)
    out.print("")
    _print_fitted(_WORDS["members_title"][LANGUAGES.index(lang)].format(
        year=acc.report_year, baseline_year=acc.config.baseline_year), headers, rows,
        set(headers))


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
