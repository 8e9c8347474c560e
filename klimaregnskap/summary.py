"""The key figures (``summary.json``, DESIGN §5) and the report's data, from the accounts."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import numpy as np
import pandas as pd

from klimaregnskap import targets
from klimaregnskap.accounts import Accounts
from klimaregnskap.config import INDICATOR_UNITS
from klimaregnskap.metering import RECOVERED_CARRIERS


def clean(obj):
    """Make a structure JSON-safe: NaN -> None, numpy scalars -> Python numbers."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj


def build_summary(acc: Accounts, *, generated_at: str | None = None,
                  language: str | None = None) -> dict:
    """The ``summary.json`` content for the accounts' report year.

    Parameters
    ----------
    acc : Accounts
    generated_at : str, optional
        ISO 8601 time stamp; the only field that differs between two runs.
    language : str, optional

    Returns
    -------
    dict
        Keys of DESIGN §5 plus ``generated_at``, ``language`` and a few
        added keys (intensities, sub-meters, quality details).
    """
    cfg = acc.config
    y = acc.report_year
    lines_y = acc.lines[acc.lines["year"] == y] if not acc.lines.empty else acc.lines
    by_scope = {}
    for m in acc.methods:
        sub = lines_y[lines_y["method"] == m] if not lines_y.empty else lines_y
        by_scope[m] = {str(s): float(sub.loc[sub["scope"].astype(int) == s, "emissions_tco2e"].sum())
                       if not sub.empty else 0.0 for s in (1, 2, 3)}
    energy = acc.energy
    main = energy[(energy["role"] == "main")] if not energy.empty else energy
    delivered = main[~main["recovered"].astype(bool)] if not main.empty else main
    carriers = sorted(set(delivered["carrier"])) if not delivered.empty else []
    dy = delivered[delivered["year"] == y] if not delivered.empty else delivered
    by_carrier = {c: float(dy.loc[dy["carrier"] == c, "energy_kwh"].sum()) if not dy.empty else 0.0
                  for c in carriers}
    ry = main[(main["year"] == y) & main["recovered"].astype(bool)] if not main.empty else main
    recovered = {c: float(ry.loc[ry["carrier"] == c, "energy_kwh"].sum()) if not ry.empty else 0.0
                 for c in RECOVERED_CARRIERS}

    st = acc.site_table[acc.site_table["year"] == y]
    sub_meters = energy[(energy["role"] == "sub") & (energy["year"] == y)] if not energy.empty else energy
    sites = {}
    for r in st.itertuples(index=False):
        entry = {
            "energy_kwh": _v(r.energy_kwh, 0.0), "emissions_tco2e": _v(r.emissions_tco2e, 0.0),
            "area_m2": _v(r.area_m2), "energy_kwh_per_m2": _v(r.energy_kwh_per_m2),
            "patient_days": _v(r.patient_days), "food_waste_kg": _v(r.food_waste_kg, 0.0),
            "recovered_energy_kwh": _v(r.recovered_energy_kwh, 0.0),
            "energy_normalised_kwh": _v(r.energy_normalised_kwh),
            "emissions_kgco2e_per_patient_day": _v(r.emissions_kgco2e_per_patient_day),
            "food_waste_kg_per_patient_day": _v(r.food_waste_kg_per_patient_day),
            "meals_served": _v(r.meals_served),
            "recovered_heat_share_pct": _v(getattr(r, "recovered_heat_share_pct", None)),
            "food_waste_g_per_meal_served": _v(getattr(r, "food_waste_g_per_meal_served", None)),
        }
        if not sub_meters.empty:
            sm = sub_meters[sub_meters["site"] == r.site]
            entry["sub_meters_kwh"] = {m: float(v) for m, v in zip(sm["item"], sm["energy_kwh"])}
        sites[r.site] = entry

    q = acc.quality
    meters = [{"meter_id": r.meter_id, "site": r.site, "carrier": r.carrier, "role": r.role,
               "year": int(r.year), "coverage_pct": _v(r.coverage_pct),
               "estimated_pct": _v(r.estimated_pct), "longest_gap_hours": _v(r.longest_gap_hours),
               "gaps": _v(r.gaps), "spikes": int(r.spikes)}
              for r in q.itertuples(index=False)] if not q.empty else []
    imports = acc.imports
    used = _used_imports(acc)
    inputs = [{"file": r.file, "sha256": r.sha256, "rows": int(r.rows), "kind": r.kind}
              for r in imports.itertuples(index=False) if r.import_id in used]
    summary = {
        "organisation": cfg.name,
        "year": y,
        "baseline_year": cfg.baseline_year,
        "indicators": acc.indicators,
        "emissions_by_scope": by_scope,
        "energy_by_carrier_kwh": by_carrier,
        "recovered_energy_kwh": recovered,
        "sites": sites,
        "data_quality": {"meters": meters,
                         "warnings": [{"code": w["code"], "message": w["message"]}
                                      for w in acc.warnings]},
        "provenance": {
            "factor_library_sha256": acc.lib.sha256,
            "listed_substances_sha256": _frame_hash(acc.listed),
            "inputs": inputs,
        },
        "settings": {"electricity_method": cfg.accounting.electricity_method,
                     "gwp": cfg.accounting.gwp,
                     "target_scopes": list(cfg.accounting.target_scopes),
                     "electricity_methods": list(acc.methods),
                     "timezone": cfg.timezone},
        "baseline_adjustments": [
            {"indicator": a.indicator, "amount": a.amount, "unit": INDICATOR_UNITS[a.indicator],
             "amount_as_written": a.amount_as_written, "year": a.year, "reason": a.reason}
            for a in cfg.baseline_adjustments],
    }
    if generated_at is not None:
        summary["generated_at"] = generated_at
    if language is not None:
        summary["language"] = language
    return clean(summary)


def _v(x, default=None):
    if x is None:
        return default
    try:
        f = float(x)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(f) else f


def _used_imports(acc: Accounts) -> set[int]:
    used: set[int] = set()
    for frame in (acc.activity, acc.food, acc.operations, acc.products, acc.temperatures):
        if frame is not None and not frame.empty and "import_id" in frame:
            used |= set(int(i) for i in frame["import_id"].unique())
    if acc.meter_years is not None and not acc.meter_years.empty:
        # readings and registry imports: every import of those kinds still current
        imp = acc.imports
        used |= set(int(i) for i in imp.loc[imp["kind"].isin(["meter_registry", "meter_readings"]),
                                              "import_id"])
    return used


def _frame_hash(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return hashlib.sha256(b"").hexdigest()
    cols = [c for c in ("cas", "name", "list", "source") if c in frame]
    return hashlib.sha256(frame[cols].to_csv(index=False).encode()).hexdigest()


def paths_and_projections(acc: Accounts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Target paths and least-squares projections for every indicator (chart data)."""
    cfg = acc.config
    by = cfg.baseline_year
    em = acc.indicators.get("emissions", {})
    em_goal = {"target_year": cfg.targets["emissions"].year,
               "target_value": em.get("target_value")}
    p_rows, j_rows = [], []
    for name, fields in acc.indicators.items():
        t = cfg.targets[name]
        s = acc.series_of(name)
        base = fields.get("baseline")
        if base is not None:
            ps = targets.path_series(t, base, by, em_goal if name == "climate_neutral" else None)
            p_rows += [{"indicator": name, "year": int(k), "path_value": float(v)} for k, v in ps.items()]
        js = targets.projection_series(s, by, acc.report_year, t.year,
                                       share=INDICATOR_UNITS[name] == "%")
        j_rows += [{"indicator": name, "year": int(k), "projected_value": float(v)}
                   for k, v in js.items()]
    return (pd.DataFrame(p_rows, columns=["indicator", "year", "path_value"]),
            pd.DataFrame(j_rows, columns=["indicator", "year", "projected_value"]))


def factors_used(acc: Accounts) -> pd.DataFrame:
    """Distinct factors behind the report's emission lines, with sources."""
    cols = ["activity", "year", "factor_year", "factor_value", "factor_unit", "scope", "method",
            "fallback", "factor_source"]
    if acc.lines.empty:
        return pd.DataFrame(columns=cols)
    l = acc.lines.rename(columns={"item": "_item"})
    l = l.assign(activity=np.where(l["source"] == "meter", l["category"], l["_item"]))
    # electricity lines differ by method; other activities are the same for every method
    l = l[(l["method"] == acc.config.accounting.electricity_method)
          | l["activity"].isin(["electricity"])]
    l = l.assign(method=np.where(l["activity"] == "electricity", l["method"], ""))
    out = l[cols].drop_duplicates().sort_values(["activity", "method", "year"]).reset_index(drop=True)
    out["scope"] = out["scope"].astype("Int64")
    return out


def calculation_lines(lines: pd.DataFrame, target_scopes) -> pd.DataFrame:
    """Every emission line of one electricity method, ready for an auditor.

    Parameters
    ----------
    lines : DataFrame
        Emission lines of one method (``accounting.emission_lines`` columns).
    target_scopes : iterable of int
        Scopes counted in the emission target.

    Returns
    -------
    DataFrame
        ``year, site, source, item, activity, category, file, row, quantity,
        quantity_unit, factor_value, factor_unit, factor_year, fallback,
        factor_source, scope, method, in_target, emissions_tco2e``. An activity
        line names its input file and spreadsheet row; a meter line names the
        meter (``item``), the year and the metered quantity (``file``/``row``
        empty: a meter-year sums many readings, possibly from several files).
        Per year and site, the lines with ``in_target`` add up to the site
        emissions of ``summary.json``.
    """
    cols = ["year", "site", "source", "item", "activity", "category", "file", "row", "quantity",
            "quantity_unit", "factor_value", "factor_unit", "factor_year", "fallback",
            "factor_source", "scope", "method", "in_target", "emissions_tco2e"]
    if lines is None or lines.empty:
        return pd.DataFrame(columns=cols)
    out = lines.copy()
    for c in cols:
        if c not in out.columns:
            out[c] = None
    scopes = {int(s) for s in target_scopes}
    out["in_target"] = out["scope"].astype(int).isin(scopes)
    out["row"] = pd.to_numeric(out["row"], errors="coerce").astype("Int64")
    out["year"] = out["year"].astype(int)
    out["scope"] = out["scope"].astype(int)
    out = out[cols].sort_values(["year", "site", "source", "item", "file", "row"],
                                na_position="first", kind="stable")
    return out.reset_index(drop=True)


def report_data(acc: Accounts, *, language: str, generated_at: str | None = None):
    """Assemble :class:`klimaregnskap.report.data.ReportData` for the renderer."""
    from klimaregnskap.report.data import ReportData

    generated_at = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    summary = build_summary(acc, generated_at=generated_at, language=language)
    paths, projections = paths_and_projections(acc)
    cfg = acc.config
    lines = acc.lines
    method = cfg.accounting.electricity_method
    lm = lines[lines["method"] == method] if not lines.empty else lines
    by_cat = (lm.groupby(["year", "category", "scope"], as_index=False)["emissions_tco2e"].sum()
              if not lm.empty else pd.DataFrame(columns=["year", "category", "scope", "emissions_tco2e"]))
    from klimaregnskap.indicators import emissions_by_scope, target_lines
    tl = target_lines(lines, cfg)
    by_site = (tl.groupby(["year", "site"], as_index=False)["emissions_tco2e"].sum()
               if not tl.empty else pd.DataFrame(columns=["year", "site", "emissions_tco2e"]))
    energy = acc.energy
    main = energy[energy["role"] == "main"] if not energy.empty else energy
    by_carrier = (main.groupby(["year", "site", "carrier", "recovered"], as_index=False)["energy_kwh"].sum()
                  if not main.empty else pd.DataFrame(columns=["year", "site", "carrier", "energy_kwh", "recovered"]))
    food = acc.food
    fw = (food.groupby([food["year"].astype(int), "site", "category"], as_index=False)["quantity_kg"].sum()
          if not food.empty else pd.DataFrame(columns=["year", "site", "category", "quantity_kg"]))
    calc = calculation_lines(lm, cfg.accounting.target_scopes)
    q = acc.quality
    dq = q[["meter_id", "site", "carrier", "role", "year", "coverage_pct", "estimated_pct",
            "longest_gap_hours", "gaps"]] if not q.empty else pd.DataFrame(
        columns=["meter_id", "site", "carrier", "role", "year", "coverage_pct", "estimated_pct",
                 "longest_gap_hours", "gaps"])
    imports = acc.imports[["file", "sha256", "kind", "rows", "loaded_at"]].copy()
    imports["loaded_at"] = imports["loaded_at"].astype(str)
    fallbacks = [w["message"] for w in acc.warnings if w["code"] == "factor_fallback"]
    return ReportData(
        summary=summary, language=language,
        site_names={s.id: s.name for s in cfg.sites},
        series=acc.series.copy(), paths=paths, projections=projections,
        emissions_by_scope=emissions_by_scope(lines), emissions_by_category=by_cat,
        emissions_by_site=by_site, energy_by_carrier=by_carrier,
        site_table=acc.site_table.drop(columns=["meals_served"], errors="ignore"),
        food_waste=fw, products_not_free=acc.products_not_free,
        calculation_lines=calc, factors_used=factors_used(acc), data_quality=dq,
        warnings=clean([dict(w) for w in acc.warnings]), imports=imports,
        baseline_adjustments=summary["baseline_adjustments"],
        method_notes={"electricity_method": method, "gwp": cfg.accounting.gwp,
                      "target_scopes": list(cfg.accounting.target_scopes),
                      "electricity_methods": list(acc.methods),
                      "factor_library_sha256": acc.lib.sha256, "fallbacks": fallbacks},
    )
