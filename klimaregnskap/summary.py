"""The key figures (``summary.json``, DESIGN §5) and the report's data, from the accounts.

Both select and arrange fields of :class:`klimaregnskap.pipeline.Accounts`;
no rule is applied here (the pipeline has applied them all).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from klimaregnskap.calc.accounting import REPORTING_CATEGORIES
from klimaregnskap.calc.metering import RECOVERED_CARRIERS
from klimaregnskap.config import INDICATOR_UNITS
from klimaregnskap.calc import factors as fl
from klimaregnskap.pipeline import Accounts
from klimaregnskap.report.data import ReportData
from klimaregnskap.warning import LANGUAGES, KlimaWarning


def clean(obj):
    """Make a structure JSON-safe: NaN -> None, numpy scalars -> Python numbers."""
    if isinstance(obj, KlimaWarning):
        return obj.as_json()
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
    es = acc.emissions_by_scope
    es = es[es["year"] == y]
    by_scope = {m: {str(sc): float(es.loc[(es["method"] == m) & (es["scope"] == sc),
                                          "emissions_tco2e"].sum()) for sc in (1, 2, 3)}
                for m in acc.methods}
    delivered, energy = acc.delivered, acc.energy
    carriers = sorted(set(delivered["carrier"])) if not delivered.empty else []
    dy = delivered[delivered["year"] == y] if not delivered.empty else delivered
    by_carrier = {c: float(dy.loc[dy["carrier"] == c, "energy_kwh"].sum()) if not dy.empty else 0.0
                  for c in carriers}
    ry = acc.recovered[acc.recovered["year"] == y] if not acc.recovered.empty else acc.recovered
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

    by_category, by_scope3 = category_figures(acc)

    q = acc.quality
    meters = [{"meter_id": r.meter_id, "site": r.site, "carrier": r.carrier, "role": r.role,
               "year": int(r.year), "coverage_pct": _v(r.coverage_pct),
               "estimated_pct": _v(r.estimated_pct), "longest_gap_hours": _v(r.longest_gap_hours),
               "gaps": _v(r.gaps), "spikes": int(r.spikes), "missing": bool(r.missing),
               "readings_outside_window": int(r.outside_window)}
              for r in q.itertuples(index=False)] if not q.empty else []
    inputs = [{"file": r.file, "sha256": r.sha256, "rows": int(r.rows), "kind": r.kind}
              for r in acc.imports.itertuples(index=False) if r.import_id in acc.used_imports]
    summary = {
        "organisation": cfg.name,
        "year": y,
        "baseline_year": cfg.baseline_year,
        "indicators": acc.indicators,
        "emissions_by_scope": by_scope,
        "emissions_by_category": by_category,
        "emissions_by_scope3_category": by_scope3,
        "energy_by_carrier_kwh": by_carrier,
        "recovered_energy_kwh": recovered,
        # DESIGN §5: counted and excess certificates [kWh], the deduction per method
        # but location [tCO2e]; added: electricity's gross and net per method [tCO2e]
        "electricity_certificates": acc.electricity_certificates,
        "sites": sites,
        "data_quality": {"meters": meters, "warnings": [w.as_json() for w in acc.warnings]},
        "provenance": {
            "factor_library_sha256": acc.lib.sha256,
            "listed_substances_sha256": acc.listed_sha256,
            "inputs": inputs,
        },
        "settings": {"electricity_method": cfg.accounting.electricity_method,
                     "gwp": cfg.accounting.gwp,
                     "target_scopes": list(cfg.accounting.target_scopes),
                     "electricity_methods": list(acc.methods),
                     "timezone": cfg.timezone,
                     "discount_rate_pct": cfg.accounting.discount_rate_pct},
        "baseline_adjustments": [
            {"indicator": a.indicator, "amount": a.amount, "unit": INDICATOR_UNITS[a.indicator],
             "amount_as_written": a.amount_as_written, "year": a.year, "reason": a.reason}
            for a in cfg.baseline_adjustments],
        "changes": changes_summary(acc),
    }
    # DESIGN §5 `measures`: the register as the pipeline evaluated it (status as the English code)
    summary["measures"] = [
        {"id": r.id, "name": r.name, "indicator": r.indicator, "status": r.status,
         "effect_target_year": _v(r.effect_target_year), "unit": r.unit,
         "cost_per_tco2e": _v(r.cost_per_tco2e)}
        for r in acc.measures.itertuples(index=False)]
    summary["purchases"] = purchases_summary(acc)
    if acc.members:
        # a region (DESIGN §6a): per member, on the region's basis, each indicator's
        # value, baseline, change_pct, status and complete
        summary["members"] = {m["id"]: {"name": m["name"], "project": m["project"],
                                        "factor_library_sha256": m["factor_library_sha256"],
                                        "indicators": m["indicators"]}
                              for m in acc.members}
    if generated_at is not None:
        summary["generated_at"] = generated_at
    if language is not None:
        summary["language"] = language
    return clean(summary)


def purchases_summary(acc: Accounts) -> dict:
    """``purchases`` of ``summary.json`` (DESIGN §5) for the report year: ``spend_nok``
    and ``excluded_nok`` [NOK, net, at the purchase year's rate, before price
    adjustment] and ``emissions_tco2e`` under the config's method; 0 without purchases."""
    py = acc.purchase_years
    row = py[py["year"].astype(int) == int(acc.report_year)] if not py.empty else py
    if row.empty:
        return {"spend_nok": 0.0, "excluded_nok": 0.0, "emissions_tco2e": 0.0}
    r = row.iloc[0]
    return {"spend_nok": float(r["spend_nok"]), "excluded_nok": float(r["excluded_nok"]),
            "emissions_tco2e": float(r["emissions_tco2e"])}
def category_figures(acc: Accounts) -> tuple[dict, dict]:
    """``emissions_by_category`` and ``emissions_by_scope3_category`` of the report year (DESIGN §5).

    Selected from the pipeline's sums of the configured method's lines (all
    scopes, net of certificates): every reporting category of DESIGN §4 as a
    key (0 where none), plus any other grouping that occurs (``other``: a
    project's activity no table places); scope 3 categories as ``"1"`` ..
    ``"15"``, those that occur, in numeric order. Both in tCO2e.
    """
    y = acc.report_year
    rc = acc.emissions_by_reporting_category
    rc = rc[rc["year"] == y] if not rc.empty else rc
    sums = rc.groupby("reporting_category")["emissions_tco2e"].sum() if not rc.empty else {}
    by_category = {c: float(sums.get(c, 0.0)) for c in REPORTING_CATEGORIES}
    by_category.update({str(c): float(v) for c, v in dict(sums).items()
                        if c not in by_category})
    s3 = acc.emissions_by_scope3_category
    s3 = s3[s3["year"] == y] if not s3.empty else s3
    by_scope3 = {str(int(r.scope3_category)): float(r.emissions_tco2e)
                 for r in s3.sort_values("scope3_category").itertuples(index=False)}
    return by_category, by_scope3


def changes_summary(acc: Accounts) -> dict:
    """``changes`` of ``summary.json`` (DESIGN §5): paths relative to ``inputs/``."""
    ch = acc.changes or {}
    return {"since": ch.get("since"), "added": list(ch.get("added", [])),
            "changed": list(ch.get("changed", [])), "removed": list(ch.get("removed", []))}


def status_view(acc: Accounts) -> dict:
    """What ``klimaregnskap status`` prints, as JSON-safe data (cached by :mod:`klimaregnskap.state`).

    Returns
    -------
    dict
        ``indicators`` (as in ``summary.json``) and ``warnings``: per warning
        its ``code``, ``fields`` and ``text`` in every language.
    """
    def shown(w):
        return {"code": w.code, "fields": {k: str(v) if isinstance(v, str) else v
                                           for k, v in w.fields().items()},
                "text": {lang: w.text(lang, site_names=names) for lang in LANGUAGES}}

    names = {s.id: s.name for s in acc.config.sites}
    indicators = {k: {**f, "incomplete_reasons": [shown(w) for w in f["incomplete_reasons"]]}
                  if f.get("incomplete_reasons") else f for k, f in acc.indicators.items()}
    return clean({"indicators": indicators, "warnings": [shown(w) for w in acc.warnings]})


def _v(x, default=None):
    if x is None:
        return default
    try:
        f = float(x)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(f) else f


def report_data(acc: Accounts, *, language: str, generated_at: str | None = None) -> ReportData:
    """Assemble :class:`klimaregnskap.report.data.ReportData` for the renderer."""
    generated_at = generated_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    summary = build_summary(acc, generated_at=generated_at, language=language)
    cfg = acc.config
    q = acc.quality
    dq_cols = ["meter_id", "site", "carrier", "role", "year", "coverage_pct", "estimated_pct",
               "longest_gap_hours", "gaps", "missing"]
    dq = q[dq_cols] if not q.empty else pd.DataFrame(columns=dq_cols)
    imports = acc.imports[["file", "sha256", "kind", "rows", "loaded_at"]].copy()
    # the ledger keeps UTC; people read the project's local time (its zone named in the header)
    imports["loaded_at"] = (pd.to_datetime(imports["loaded_at"]).dt.tz_localize("UTC")
                            .dt.tz_convert(cfg.timezone).dt.strftime("%Y-%m-%d %H:%M:%S"))
    fallbacks = [w.message for w in acc.warnings if w.code == "factor_fallback"]
    return ReportData(
        summary=summary, language=language,
        site_names={s.id: s.name for s in cfg.sites},
        series=acc.series.copy(), paths=acc.paths, projections=acc.projections,
        emissions_by_scope=acc.emissions_by_scope, emissions_by_category=acc.emissions_by_category,
        emissions_by_site=acc.emissions_by_site, energy_by_carrier=acc.energy_by_carrier,
        site_table=acc.site_table.drop(columns=["meals_served"], errors="ignore"),
        food_waste=acc.food_by_category, products_not_free=acc.products_not_free,
        calculation_lines=acc.calculation_lines, factors_used=acc.factors_used, data_quality=dq,
        warnings=list(acc.warnings), imports=imports,
        baseline_adjustments=summary["baseline_adjustments"],
        method_notes={"electricity_method": cfg.accounting.electricity_method,
                      "gwp": cfg.accounting.gwp,
                      "target_scopes": list(cfg.accounting.target_scopes),
                      "electricity_methods": list(acc.methods),
                      "factor_library_sha256": acc.lib.sha256, "fallbacks": fallbacks},
        incomplete_reasons={k: list(f["incomplete_reasons"]) for k, f in acc.indicators.items()
                            if f.get("incomplete_reasons")},
        incomplete_years={k: sorted(int(y) for y in g.loc[~g["complete"].astype(bool), "year"])
                          for k, g in acc.completeness.groupby("indicator")}
        if not acc.completeness.empty else {},
        incomplete_meters=acc.incomplete_meters[["meter_id", "year"]]
        if not acc.incomplete_meters.empty else pd.DataFrame(columns=["meter_id", "year"]),
        measures=acc.measures, measure_effects=acc.measure_effects,
        measure_scenarios=acc.measure_scenarios,
        changes=acc.changes,
        purchase_categories=acc.purchase_categories.assign(
            name=[fl.activity_name(acc.lib, c, language)
                  for c in acc.purchase_categories["category"]]),
        purchases_excluded=acc.purchases_excluded,
        certificates=acc.certificates,
        emissions_by_reporting_category=acc.emissions_by_reporting_category,
        emissions_by_scope3_category=acc.emissions_by_scope3_category,
        disclosures=acc.disclosures,
    )
