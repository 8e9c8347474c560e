"""Drawing chart specs with plotnine: PNG and deterministic SVG bytes.

Imported only when a chart must be drawn (see :func:`.charts.render_charts`).
Several charts are drawn in worker processes forked from this one, after
plotnine is imported, so no worker imports it again.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
import io
import multiprocessing
import os
import sys
from typing import Callable

import matplotlib

matplotlib.use("Agg")  # no display; forked workers inherit it
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from plotnine import (  # noqa: E402
    aes, coord_flip, element_text, expand_limits, facet_wrap, geom_col, geom_hline, geom_line,
    geom_point, geom_rect, geom_ribbon, geom_text, ggplot, guide_legend, guides, labs,
    scale_alpha_manual, scale_color_manual, scale_fill_manual, scale_linetype_manual,
    scale_shape_manual, scale_x_continuous, scale_y_continuous, theme, theme_bw,
)

from .chart_spec import ChartSpec  # noqa: E402
from .i18n import fmt_num, is_missing  # noqa: E402

DPI = 150
# Fixed salt + fonts as paths + no date: two runs write identical SVG bytes.
RC = {"svg.hashsalt": "klimaregnskap", "svg.fonttype": "path", "font.family": "DejaVu Sans"}


def _num_labels(lang: str, decimals: int | None = None):
    def fmt(breaks):
        vals = [b for b in breaks if not is_missing(b)]
        d = decimals
        if d is None:
            # as many decimals as the break spacing needs, no more
            steps = np.diff(sorted(vals)) if len(vals) > 1 else [1.0]
            step = min((s for s in steps if s > 0), default=1.0)
            d = 0 if step >= 1 else int(min(3, np.ceil(-np.log10(step))))
        return [fmt_num(b, lang, d) for b in breaks]
    return fmt


def _year_labels(breaks):
    return [str(int(round(b))) for b in breaks]


def _common(s: ChartSpec, **more_labels) -> list:
    """What every chart shares: numbers on the value axis, labels, theme and size."""
    theme_ = theme_bw() + theme(
        figure_size=tuple(s.params["size"]),
        plot_title=element_text(size=12, weight="bold", ha="left"),
        plot_subtitle=element_text(size=9), legend_position="bottom",
        legend_title=element_text(size=9), axis_title=element_text(size=9))
    return [scale_y_continuous(labels=_num_labels(s.lang)),
            labs(x=s.params["x"], y=s.params["y"], title=s.title, **more_labels), theme_]


def _trajectory(s: ChartSpec) -> ggplot:
    p, order = s.params, s.params["order"]
    g = (ggplot()
         + geom_line(s.frames["lines"], aes("year", "value", color="series", linetype="series"),
                     size=1)
         + geom_point(s.frames["points"], aes("year", "value", color="series", shape="series",
                                              fill="series"), size=3, stroke=1))
    inc = s.frames.get("incomplete")
    if inc is not None and not inc.empty:
        # drawn over the filled point: hollow, and said in words, not by colour alone
        g = (g + geom_point(inc, aes("year", "value"), shape="o", size=3.4, fill="white",
                            color=p["colours"][order[0]], stroke=1.2)
             + geom_text(inc, aes("year", "value", label="text"), va="bottom", size=7,
                         nudge_y=0, format_string="{}\n"))
    return (g
            + scale_color_manual(values=p["colours"], limits=order, breaks=order, name=p["legend"])
            + scale_fill_manual(values=p["colours"], limits=order, breaks=order, name=p["legend"])
            + scale_linetype_manual(values=p["linetypes"], limits=order, breaks=order,
                                    name=p["legend"])
            + scale_shape_manual(values=p["shapes"], limits=order, breaks=order, name=p["legend"])
            + scale_x_continuous(breaks=p["x_breaks"], labels=_year_labels)
            + expand_limits(y=0)
            + _common(s))


def _scope_bars(s: ChartSpec) -> ggplot:
    p = s.params
    return (ggplot(s.frames["bars"], aes("year", "emissions_tco2e", fill="scope_label"))
            + geom_col(color="black", size=0.3, width=0.7)
            + scale_fill_manual(values=p["fills"], breaks=p["fill_breaks"], name=p["legend"])
            + scale_x_continuous(breaks=p["x_breaks"], labels=_year_labels)
            + _common(s))


def _sector_bars(s: ChartSpec) -> ggplot:
    p = s.params
    return (ggplot(s.frames["bars"], aes("year", "emissions_tco2e", fill="category_label"))
            + geom_col(color="black", size=0.3, width=0.7)
            + scale_fill_manual(values=p["fills"], breaks=p["fill_breaks"], name=p["legend"])
            + scale_x_continuous(breaks=p["x_breaks"], labels=_year_labels)
            + guides(fill=guide_legend(nrow=2))
            + _common(s))


def _category_bars(s: ChartSpec) -> ggplot:
    p = s.params
    return (ggplot(s.frames["bars"], aes("category", "emissions_tco2e", fill="scope_label"))
            + geom_col(color="black", size=0.3, width=0.7)
            + coord_flip()
            + scale_fill_manual(values=p["fills"], name=p["legend"])
            + _common(s))


def _carrier_bars(s: ChartSpec) -> ggplot:
    p, ann = s.params, s.frames["annotations"]
    g = (ggplot(s.frames["bars"], aes("year", "value"))
         + geom_col(aes(fill="carrier_label"), color="black", size=0.3, width=0.7)
         + scale_fill_manual(values=p["fills"], breaks=p["fill_breaks"], name=p["legend"])
         + scale_x_continuous(breaks=p["x_breaks"], labels=_year_labels)
         + expand_limits(y=p["y_limit"])
         + _common(s, subtitle=p["subtitle"]))
    if not ann.empty:
        g = g + geom_text(ann, aes("year", "value", label="text"), va="bottom", size=8,
                          nudge_y=p["annotation_nudge"])
    return g


def _site_bars(s: ChartSpec) -> ggplot:
    p = s.params
    return (ggplot(s.frames["bars"], aes("site", "value", fill="panel"))
            + geom_col(color="black", size=0.3, width=0.6, show_legend=False)
            + coord_flip()
            + facet_wrap("panel", scales="free_x")
            + scale_fill_manual(values=p["fills"])
            + _common(s))


def _contribution_bars(s: ChartSpec) -> ggplot:
    """Horizontal bars of each member's change, the region's last; the path's change dashed."""
    p, bars = s.params, s.frames["bars"]
    up, down = bars[bars["value"] > 0], bars[bars["value"] <= 0]
    g = (ggplot(bars, aes("member", "value"))
         + geom_col(aes(fill="direction"), color="black", size=0.3, width=0.65)
         + geom_hline(yintercept=0, size=0.6))
    if p.get("reference") is not None:
        g = g + geom_hline(yintercept=p["reference"], linetype="dashed", size=0.7,
                           color="#000000")
    if not up.empty:
        g = g + geom_text(up, aes("member", "value", label="label"), ha="left", size=8,
                          nudge_y=0, format_string=" {}")
    if not down.empty:
        g = g + geom_text(down, aes("member", "value", label="label"), ha="right", size=8,
                          nudge_y=0, format_string="{} ")
    return (g
            + coord_flip()
            + scale_fill_manual(values=p["fills"], breaks=p["fill_breaks"], name=p["legend"])
            + expand_limits(y=p["y_limits"])
            + _common(s, subtitle=p["subtitle"]))


def _wedge(s: ChartSpec) -> ggplot:
    """Measures as stacked wedges under BAU, the target path and target on top, the gap as a band."""
    p, f = s.params, s.frames
    g = ggplot()
    if not f["gap"].empty:
        g = g + geom_ribbon(f["gap"], aes("year", ymin="ymin", ymax="ymax"),
                            fill=p["gap_colour"], alpha=0.22, outline_type="full",
                            color=p["gap_colour"], linetype="dashed", size=0.4)
    if not f["wedges"].empty:
        g = (g + geom_ribbon(f["wedges"], aes("year", ymin="ymin", ymax="ymax", fill="measure",
                                              alpha="measure"), color="white", size=0.3,
                             outline_type="full")
             + scale_fill_manual(values=p["fills"], limits=p["measures"], breaks=p["measures"],
                                 name=p["legend_measures"])
             + scale_alpha_manual(values=p["alphas"], limits=p["measures"], breaks=p["measures"],
                                  name=p["legend_measures"]))
    lines = f["lines"]
    actual = lines[lines["series"] == p["order"][0]]
    g = (g + geom_line(lines, aes("year", "value", color="series", linetype="series"), size=1)
         + geom_point(actual, aes("year", "value", color="series"), size=2.2, show_legend=False)
         + scale_color_manual(values=p["colours"], limits=p["order"], breaks=p["order"],
                              name=p["legend_lines"])
         + scale_linetype_manual(values=p["linetypes"], limits=p["order"], breaks=p["order"],
                                 name=p["legend_lines"]))
    if not f["target"].empty:
        g = g + geom_point(f["target"], aes("year", "value"), shape="D", size=3.4,
                           fill=p["target_colour"], color=p["target_colour"])
        x_room = float(f["target"]["year"].iloc[0]) + 2.8
        g = g + expand_limits(x=x_room)
    if not f["annotation"].empty:
        g = g + geom_text(f["annotation"], aes("year", "value", label="text"), ha="left",
                          nudge_x=0.35, size=8, color=p["gap_colour"], fontweight="bold")
    return (g
            + guides(fill=guide_legend(ncol=1, order=2), alpha=guide_legend(ncol=1, order=2),
                     color=guide_legend(ncol=1, order=1), linetype=guide_legend(ncol=1, order=1))
            + scale_x_continuous(breaks=p["x_breaks"], labels=_year_labels)
            + expand_limits(y=0)
            + _common(s, subtitle=p["subtitle"])
            + theme(legend_position="bottom", legend_box="horizontal",
                    legend_text=element_text(size=7)))


def _mac(s: ChartSpec) -> ggplot:
    """A marginal abatement cost curve: width tCO2e/yr, height NOK/tCO2e, savings below the axis."""
    p, bars = s.params, s.frames["bars"]
    up, down = bars[bars["va"] == "bottom"], bars[bars["va"] == "top"]
    g = (ggplot(bars.assign(zero=0.0))
         + geom_rect(aes(xmin="xmin", xmax="xmax", ymin="zero", ymax="cost", fill="group"),
                     color="black", size=0.3)
         + geom_hline(yintercept=0, size=0.6))
    if not up.empty:
        g = g + geom_text(up, aes("x", "label_y", label="label"), va="bottom", size=7)
    if not down.empty:
        g = g + geom_text(down, aes("x", "label_y", label="label"), va="top", size=7)
    return (g
            + scale_fill_manual(values=p["fills"], breaks=p["fill_breaks"], name=p["legend"])
            + scale_x_continuous(labels=_num_labels(s.lang, 0))
            + expand_limits(y=p["y_limits"])
            + _common(s, subtitle=p["subtitle"]))


PLOTS: dict[str, Callable[[ChartSpec], ggplot]] = {
    "trajectory": _trajectory, "scope_bars": _scope_bars, "category_bars": _category_bars,
    "sector_bars": _sector_bars,
    "carrier_bars": _carrier_bars, "site_bars": _site_bars, "wedge": _wedge, "mac": _mac,
    "contribution_bars": _contribution_bars,
}


def draw(spec: ChartSpec) -> tuple[bytes, bytes]:
    """One chart as (PNG, SVG) bytes: drawn once, saved twice.

    Matplotlib's built-in defaults are restored first, so no matplotlibrc or
    earlier caller's settings reach the picture: the same spec always gives
    the same bytes (no time stamp or software name in either file).
    """
    plot = PLOTS[spec.kind](spec)
    png, svg = io.BytesIO(), io.BytesIO()
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(RC)
        fig = plot.draw()
        try:
            fig.savefig(png, format="png", dpi=DPI, metadata={"Software": None})
            fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    return png.getvalue(), svg.getvalue()


#: Environment variable: at most this many processes draw charts (e.g. 1 on a
#: shared machine, or in a test run whose workers already use every core).
WORKERS_ENV = "KLIMAREGNSKAP_WORKERS"


def available_cpus() -> int:
    """Cores this process may run on (its affinity mask where the platform has one),
    capped by :data:`WORKERS_ENV` where that holds a whole number of at least 1."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:
        n = os.cpu_count() or 1
    cap = os.environ.get(WORKERS_ENV, "").strip()
    return min(n, int(cap)) if cap.isdigit() and int(cap) >= 1 else n


#: Fewer charts than this are drawn here: starting the drawing processes costs
#: about as much as drawing two charts.
MIN_PARALLEL = 3


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """Drawing processes forked from a clean fork server, or None where none can be had.

    A plain fork would copy this process with its other threads (DuckDB's
    among them) mid-flight, and a worker can then crash on a lock one of them
    held. The fork server is a fresh interpreter with this module imported
    (plotnine included) and no other threads; workers fork from it at once.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    try:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ProcessPoolExecutor(workers, mp_context=ctx)
    except (OSError, ImportError, NotImplementedError, ValueError):  # e.g. no POSIX semaphores
        return None


def draw_all(specs: list[ChartSpec], progress: Callable[[str], None] | None = None,
             workers: int | None = None) -> list[tuple[bytes, bytes]]:
    """(PNG, SVG) bytes of each spec, in order; in parallel when more than one.

    Parameters
    ----------
    specs : list of ChartSpec
    progress : callable, optional
        Called with ``chart <name>`` as each chart is done.
    workers : int, optional
        Processes to draw in; default ``min(cores, len(specs))``. One, fewer
        than :data:`MIN_PARALLEL` charts, or a platform without a fork server
        draws in this process.
    """
    say = progress or (lambda _msg: None)
    n = min(workers or available_cpus(), len(specs))
    pool = _pool(n) if n > 1 and len(specs) >= MIN_PARALLEL else None
    if pool is None:
        out = []
        for s in specs:
            out.append(draw(s))
            say(f"chart {s.name}")
        return out
    try:
        futures = {pool.submit(draw, s): i for i, s in enumerate(specs)}
    except OSError:  # no process could be forked: draw them here
        pool.shutdown(cancel_futures=True)
        return draw_all(specs, progress, workers=1)
    results: list[tuple[bytes, bytes] | None] = [None] * len(specs)
    try:
        for f in as_completed(futures):
            i = futures[f]
            results[i] = f.result()
            say(f"chart {specs[i].name}")
    except BrokenProcessPool:
        # a worker died: the charts are pure functions of their specs, so the
        # ones still missing are drawn here, with the same bytes
        pass
    finally:
        pool.shutdown(cancel_futures=True)
    for i, r in enumerate(results):
        if r is None:
            results[i] = draw(specs[i])
            say(f"chart {specs[i].name}")
    return results
