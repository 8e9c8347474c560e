"""The ``klimaregnskap`` command line (DESIGN §6).

Bad input never prints a traceback: errors name the file, the row and the
column, say what was expected, and the exit code is non-zero.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from klimaregnskap.errors import KlimaError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Climate and sustainability accounts for hospital trusts.")
# wide tables stay readable when output goes to a file or a pipe
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 200)

ProjectOpt = typer.Option(Path("."), "--project", "-p", help="Project folder (default: current).")

STATUS_STYLE = {"achieved": "bold green", "on_track": "green", "off_track": "bold red",
                "no_data": "yellow", "no_baseline": "yellow"}


def friendly(fn):
    """Print KlimaError without a traceback and exit non-zero."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except KlimaError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
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


def _progress(enabled: bool):
    if not enabled or not sys.stderr.isatty():
        return None
    return lambda msg: err.print(f"[dim]… {msg}[/]")


def _open(project: Path, *, load_inputs: bool):
    from klimaregnskap import factors as fl
    from klimaregnskap import importing, ledger
    from klimaregnskap.config import load_config

    config = load_config(project)
    lib = fl.load_library(project)
    con = ledger.connect(project)
    outcome = None
    if load_inputs:
        outcome = importing.load_new_inputs(con, config, lib, progress=_progress(True))
    return config, lib, con, outcome


def _report_errors(outcome) -> bool:
    for path, exc in outcome.errors:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
    if outcome.errors:
        err.print(f"[red]{len(outcome.errors)} file(s) not imported; fix them and run again.[/]")
    return bool(outcome.errors)


def _default_year(con, config) -> int:
    """The last complete year: the year before today's, unless the data stops earlier."""
    last_complete = dt.date.today().year - 1
    years = []
    for table in ("activity", "food_waste", "operations", "products", "readings"):
        r = con.execute(f"SELECT max(year) FROM {table} WHERE superseded_by IS NULL").fetchone()
        if r and r[0] is not None:
            years.append(int(r[0]))
    if years:
        return min(max(years), last_complete)
    return last_complete


@app.command()
@friendly
def init(directory: Path = typer.Argument(..., help="Folder of the new project."),
         name: str = typer.Option("Mitt HF", help="Organisation name.")):
    """Create a new project folder with a configuration and input templates."""
    from klimaregnskap.templates import create_project

    created = create_project(directory, name)
    out.print(f"Created project in {directory}:")
    for p in created:
        out.print(f"  {p}")
    out.print("Edit klimaregnskap.toml, copy templates into inputs/ and run "
              "'klimaregnskap check'.")


@app.command()
@friendly
def load(files: list[Path] = typer.Argument(..., help="CSV or XLSX files to import."),
         project: Path = ProjectOpt):
    """Validate and import files into the project's ledger."""
    from klimaregnskap import importing

    config, lib, con, _ = _open(project, load_inputs=False)
    outcome = importing.load_files(con, files, config, lib, progress=_progress(True))
    for r in outcome.records:
        if r.skipped:
            out.print(f"= {r.file}: already loaded, nothing changed")
        else:
            extra = f", {r.superseded_rows} earlier rows superseded" if r.superseded_rows else ""
            out.print(f"+ {r.file}: {r.rows} rows of {r.kind} imported{extra}")
    for w in outcome.warnings:
        out.print(f"[yellow]warning:[/] {w}")
    if _report_errors(outcome):
        raise typer.Exit(code=1)


@app.command()
@friendly
def check(project: Path = ProjectOpt,
          year: Optional[int] = typer.Option(None, help="Only this year's data quality.")):
    """Validate config and inputs (new files are imported); print data quality per meter and site."""
    from klimaregnskap import quality
    from klimaregnskap import metering

    config, lib, con, outcome = _open(project, load_inputs=True)
    out.print(f"[bold]{config.name}[/]: configuration OK ({len(config.sites)} sites), "
              f"factor library OK ({len(lib.factors)} rows)")
    imported = [r for r in outcome.records if not r.skipped]
    out.print(f"inputs: {len(outcome.records)} file(s) valid, {len(imported)} newly imported, "
              f"{len(outcome.errors)} with errors")
    bad = _report_errors(outcome)
    q = quality.meter_quality(con, config.timezone, [year] if year else None)
    if not q.empty:
        t = Table(title="Meter data quality per site, meter and year")
        for c in ("site", "meter", "carrier", "role", "year", "coverage %", "estimated %",
                  "longest gap h", "gaps", "spikes"):
            t.add_column(c, justify="right" if c not in ("site", "meter", "carrier", "role") else "left")
        for r in q.itertuples(index=False):
            cov = f"{r.coverage_pct:.2f}" if r.coverage_pct == r.coverage_pct else "-"
            style = "yellow" if (r.coverage_pct == r.coverage_pct and r.coverage_pct < 100) or (r.estimated_pct or 0) > 0 else None
            t.add_row(r.site, r.meter_id, r.carrier, r.role, str(r.year), cov,
                      f"{r.estimated_pct:.2f}", _fmt(r.longest_gap_hours), _fmt(r.gaps),
                      str(r.spikes), style=style)
        out.print(t)
        sites = q.groupby("site").agg(meters=("meter_id", "nunique"),
                                      min_coverage=("coverage_pct", "min"),
                                      estimated=("estimated", "sum"))
        s = Table(title="Per site")
        for c in ("site", "meters", "lowest coverage %", "estimated readings"):
            s.add_column(c)
        for site, r in sites.iterrows():
            s.add_row(site, str(r.meters), _fmt(r.min_coverage), _fmt(r.estimated))
        out.print(s)
        my = metering.meter_year_energy(con, config.timezone)
        last = int(q["year"].max())
        for w in quality.missing_meter_years(q, my, last):
            out.print(f"[yellow]warning:[/] {w['message']}")
    else:
        out.print("no meter readings in the ledger")
    for s in config.sites:
        if not s.area_m2:
            out.print(f"[red]error:[/] site {s.id} has no area_m2 in {config.path}")
            bad = True
    if bad:
        raise typer.Exit(code=1)


def _fmt(x) -> str:
    if x is None or x != x:
        return "-"
    if float(x).is_integer():
        return f"{int(x)}"
    return f"{x:.2f}"


@app.command()
@friendly
def status(project: Path = ProjectOpt,
           year: Optional[int] = typer.Option(None, help="Report year (default: last complete year)."),
           lang: Optional[str] = typer.Option(None, help="nb or en (default from config).")):
    """The indicators against their targets, in the terminal."""
    from klimaregnskap.accounts import build_accounts
    from klimaregnskap.report.i18n import TEXTS

    def translate(key, lang, default=None):
        return TEXTS[key][lang] if key in TEXTS else (default if default is not None else key)

    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome):
        raise typer.Exit(code=1)
    year = year or _default_year(con, config)
    lang = lang or config.language
    acc = build_accounts(con, config, lib, year)
    t = Table(title=f"{config.name} — {year} ({translate('baseline', lang)} {config.baseline_year})")
    for c in ("indicator", "value", "baseline", "change", "target", "path", "status",
              "projected", "required / yr"):
        t.add_column(translate(f"col_{c}", lang, default=c),
                     justify="left" if c in ("indicator", "status") else "right")
    for name, f in acc.indicators.items():
        unit = f["unit"]
        change = _pct(f.get("change_pct"))
        if f.get("change_points") is not None:
            change += f" ({f['change_points']:+.1f} pp)"
        target = "-" if f.get("target_value") is None else f"{_num(f['target_value'], unit)} ({f['target_year']})"
        req = (_pct(f.get("required_annual_change_pct")) if f.get("required_annual_change_pct") is not None
               else (f"-{_num(f['required_annual_change'], unit)}" if f.get("required_annual_change") is not None else "-"))
        st = f.get("status", "")
        t.add_row(translate(f"ind_{name}", lang, default=name), _num(f.get("value"), unit),
                  _num(f.get("baseline"), unit), change, target, _num(f.get("path_value"), unit),
                  f"[{STATUS_STYLE.get(st, '')}]{translate('status_' + st, lang, default=st)}[/]",
                  _num(f.get("projected_target_year_value"), unit), req)
    out.print(t)
    for w in acc.warnings:
        if w["code"] in ("no_data", "missing_meter_year", "factor_fallback") and w.get("year", year) == year:
            out.print(f"[yellow]note:[/] {w['message']}")


def _num(x, unit: str = "") -> str:
    if x is None:
        return "-"
    if unit == "%":
        return f"{x:,.1f} %"
    return f"{x:,.0f} {unit}".replace(",", " ") if abs(x) >= 100 else f"{x:,.2f} {unit}"


def _pct(x) -> str:
    return "-" if x is None else f"{x:+.1f} %"


@app.command()
@friendly
def report(year: Optional[int] = typer.Option(None, "--year", "-y", help="Report year."),
           project: Path = ProjectOpt,
           lang: Optional[str] = typer.Option(None, "--lang", help="nb or en (default from config)."),
           out_dir: Optional[Path] = typer.Option(None, "--out", help="Output folder (default reports/YEAR).")):
    """Write the annual report (loads new or changed files in inputs/ first)."""
    from klimaregnskap.accounts import build_accounts
    from klimaregnskap.report import write_report
    from klimaregnskap.summary import report_data

    progress = _progress(True)
    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome):
        raise typer.Exit(code=1)
    year = year or _default_year(con, config)
    lang = lang or config.language
    if lang not in ("nb", "en"):
        raise KlimaError(f"--lang: unknown language '{lang}'; expected nb or en")
    if progress:
        progress(f"computing the accounts for {year}")
    acc = build_accounts(con, config, lib, year)
    data = report_data(acc, language=lang)
    target = out_dir or (Path(project) / "reports" / str(year))
    files = write_report(data, Path(target), progress=progress)
    out.print(f"Report for {year} written to {target}:")
    for f in files:
        out.print(f"  {f}")


@app.command("factors")
@friendly
def factors_cmd(project: Path = ProjectOpt,
                activity: Optional[str] = typer.Option(None, help="Only this activity."),
                year: Optional[int] = typer.Option(None, help="The factor in force in this year.")):
    """List the factor library: activity, year, value, unit, scope, method, source."""
    from klimaregnskap import factors as fl

    lib = fl.load_library(project if (Path(project) / "factors").is_dir() else None)
    df = fl.list_factors(lib, activity=activity, year=year)
    if df.empty:
        raise KlimaError(f"no factors for activity={activity!r} year={year!r}")
    t = Table(title=f"Factor library (sha256 {lib.sha256[:12]}…)")
    cols = ["activity", "year", "value", "unit", "scope", "method", "source"]
    for c in cols:
        t.add_column(c, overflow="fold")
    for r in df.itertuples(index=False):
        vals = [getattr(r, c) for c in cols]
        t.add_row(*["" if v is None or v != v or v is _NA() else str(v) for v in vals])
    out.print(t)


def _NA():
    import pandas as pd
    return pd.NA


@app.command()
@friendly
def explain(indicator: str = typer.Argument(..., help="emissions, energy, food_waste, ..."),
            year: int = typer.Option(..., "--year", "-y"),
            site: Optional[str] = typer.Option(None, "--site", help="Only this site."),
            project: Path = ProjectOpt):
    """How a figure was made: its parts down to input files, rows and factors."""
    from klimaregnskap.accounts import build_accounts
    from klimaregnskap.explain import explain_figure

    config, lib, con, outcome = _open(project, load_inputs=True)
    if _report_errors(outcome):
        raise typer.Exit(code=1)
    if site is not None and site not in config.site_ids:
        raise KlimaError(f"--site: unknown site '{site}'; expected one of {', '.join(config.site_ids)}")
    acc = build_accounts(con, config, lib, year)
    text = explain_figure(acc, indicator, site=site)
    out.print(text, markup=False)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
