"""The factor library in force: which series applies, and the factor of an
activity in a year (DESIGN §3 Factor files, §4).

The files are read and validated by :mod:`klimaregnskap.readers.factor_files`
(the shipped library in the repository's ``factors/`` folder, installed as
the package ``klimaregnskap.shipped_factors``, and a project's own
``factors/`` folder); here a project's series replace shipped series.

Vocabulary
----------
series
    The rows of one (activity, kind, method); the kind (``emission`` or
    ``energy``) is told by the row's unit (see
    :mod:`klimaregnskap.readers.factor_files`). A project's series replaces the
    shipped series with the same key entirely, all years, so the
    nearest-earlier-year fallback never mixes project and shipped values.
gases
    Refrigerants and anaesthetic gases are converted with the GWP table
    (``gas, ar5, ar6, source``), in kgCO2e per kg; an explicit emission row
    for the gas wins.
activity table
    ``activities.csv`` (DESIGN §3): every activity's Norwegian and English
    name, reporting category (DESIGN §4) and, for scope 3, GHG Protocol
    category. A project's rows replace shipped rows of the same activity; so
    do its rows of the other three tables (gas properties, price index,
    exchange rates) by their keys.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from klimaregnskap.errors import InputError, KlimaError
from klimaregnskap.units import conversion_factor, is_compatible
from klimaregnskap.readers import factor_files

GAS_PREFIXES = ("refrigerant", "anaesthetic", "gas")
GWP_SETS = ("AR5", "AR6")
#: the four tables shipped beside the factors (DESIGN §3)
TABLES = tuple(factor_files.TABLE_COLUMNS)


class FactorMissing(KlimaError, KeyError):
    """No factor for an activity in a year (nor any earlier year of its series).

    Attributes
    ----------
    activity : str
    year : int
    kind : str
        ``'emission'`` or ``'energy'``.
    method : str or None
    """

    def __init__(self, activity: str, year: int | None, kind: str = "emission",
                 method: str | None = None, detail: str = ""):
        self.activity = activity
        self.year = year
        self.kind = kind
        self.method = method
        what = "emission factor" if kind == "emission" else "energy content"
        msg = f"no {what} for activity '{activity}'"
        if year is not None:
            msg += f" in {year} or any earlier year"
        if method:
            msg += f" (method '{method}')"
        if detail:
            msg += f": {detail}"
        self.message = msg
        Exception.__init__(self, msg)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


@dataclass
class FactorLibrary:
    """The factors in force for one project.

    Attributes
    ----------
    factors : pandas.DataFrame
        Columns ``activity, year (int), value (float, in `unit`), unit (str),
        scope (Int64, NA on energy rows), method (str, '' when none), source,
        kind ('emission' | 'energy'), origin ('shipped' | 'project'),
        file (str), row (int, spreadsheet row)``.
    gwp : pandas.DataFrame
        Columns ``gas, ar5, ar6 (float, kgCO2e per kg), source``.
    sha256 : str
        Hash over the files used (sorted by name; name and content bytes).
    files : list of Path
        The files used, in hashing order.
    tables : dict of str to pandas.DataFrame
        The four tables of DESIGN §3 in force (``activities``,
        ``gas_properties``, ``price_index``, ``exchange_rates``): the shipped
        rows, with a project's rows replacing those of the same key; each
        with an ``origin`` column.
    """

    factors: pd.DataFrame
    gwp: pd.DataFrame
    sha256: str
    files: list[Path] = field(default_factory=list)
    tables: dict = field(default_factory=dict)
    # the rows of each (activity, kind), sorted by year: built once, on first use
    _series: dict | None = field(default=None, repr=False, compare=False)
    # the series :func:`resolve` picks per (activity, kind, method), as arrays;
    # and the activity table by code: built on first use (a report asks
    # thousands of times, and a boolean mask per question costs a millisecond)
    #: the project whose cache folder keeps the parses of its files (None: this process only;
    #: a region's members, which a region command never writes)
    kept_in: Path | None = field(default=None, repr=False, compare=False)
    _picked: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _activity_index: dict | None = field(default=None, init=False, repr=False, compare=False)
    # :func:`amount_units`, worked out on first use
    _units: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def series(self, activity: str, kind: str) -> pd.DataFrame:
        """Every row of one activity and kind (all methods), sorted by year."""
        if self._series is None:
            self._series = {key: g.sort_values("year", kind="stable")
                            for key, g in self.factors.groupby(["activity", "kind"], sort=False)}
        return self._series.get((activity, kind), self.factors.iloc[0:0])


# --------------------------------------------------------------------------- loading

#: The libraries this process has loaded: (sha256 of the files' names and contents,
#: the files' paths) -> FactorLibrary. A command loads its library once; a region
#: (its members share the shipped files), a status after a check, or a test run
#: loads the same files again and again.
_LIBRARIES: dict[tuple, "FactorLibrary"] = {}


def load_library(project_dir: Path | None = None, *, keep: bool = True) -> FactorLibrary:
    """The shipped library and, if present, the project's ``factors/`` folder.

    The files are read by :func:`klimaregnskap.readers.factor_files.read_factor_folders`;
    this function decides which series are in force.

    Parameters
    ----------
    project_dir : Path, optional
        The project folder. Its ``factors/`` series replace shipped series of
        the same (activity, kind, method) entirely; its GWP rows replace
        shipped GWP rows per gas. When that folder is the shipped folder
        itself (the demo repository), it is read once, as shipped.
    keep : bool, default True
        Keep the parse of the files in the project's cache folder for the
        next run (:mod:`klimaregnskap.readers.kept`); False for a folder this
        run must not write (a region's member).

    Returns
    -------
    FactorLibrary

    Raises
    ------
    InputError
        For the first invalid file, row and column; and for a project's scope 3
        row whose activity has no scope 3 category, neither on the row nor in
        the activity table (DESIGN §5).
    """
    kept_in = Path(project_dir) if project_dir is not None and keep else None
    shipped, project = factor_files.read_factor_folders(project_dir, kept_in)
    files = sorted(shipped.files + project.files, key=lambda p: (p.name, str(p)))
    key = (factor_files.library_sha256(files), tuple(map(str, files)))
    if key in _LIBRARIES:
        # the same files, the same library: the frames are shared (nothing
        # changes a library's frames), and so are resolve()'s index of them
        # and the amount units (both filled in place, on first use)
        kept = _LIBRARIES[key]
        lib = replace(kept, kept_in=kept_in)
        lib._picked, lib._units = kept._picked, kept._units
        return lib
    extra = _merge_tables(shipped.tables, project.tables)
    shipped_f, project_f = shipped.factors, project.factors
    if len(project_f):
        keys = ["activity", "kind", "method"]
        pk = project_f[keys].drop_duplicates()
        marked = shipped_f.merge(pk.assign(_p=True), on=keys, how="left")
        shipped_f = shipped_f[marked["_p"].isna().to_numpy()]
    factors = pd.concat([shipped_f, project_f], ignore_index=True)
    factors = factors.astype({"activity": str, "unit": str, "method": str, "source": str,
                              "kind": str, "origin": str, "file": str, "amount_unit": str})
    factors["year"] = factors["year"].astype("int64")
    factors["value"] = factors["value"].astype("float64")
    factors["row"] = factors["row"].astype("int64")
    factors["scope"] = factors["scope"].astype("Int64")
    factors = factors.sort_values(["activity", "kind", "method", "year"]).reset_index(drop=True)

    gwp_cols = ["gas", "ar5", "ar6", "source", "origin", "file", "row"]
    tables = [g for g in (shipped.gwp, project.gwp) if g is not None]
    gwp = pd.concat(tables, ignore_index=True) if tables else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in gwp_cols})
    gwp = gwp.drop_duplicates("gas", keep="last").reset_index(drop=True)
    gwp["ar5"] = gwp["ar5"].astype("float64")
    gwp["ar6"] = gwp["ar6"].astype("float64")

    _check_scope3(project.factors, extra["activities"])
    lib = FactorLibrary(factors=factors, gwp=gwp[gwp_cols], sha256=key[0], files=files,
                        tables=extra, kept_in=kept_in)
    if len(_LIBRARIES) >= 8:
        _LIBRARIES.clear()
    _LIBRARIES[key] = lib
    return lib


def _merge_tables(shipped: dict, project: dict) -> dict:
    """The four tables in force: a project's rows replace shipped rows with the same key."""
    out = {}
    for kind in TABLES:
        cols = [*factor_files.TABLE_COLUMNS[kind], "file", "row", "origin"]
        if kind == "activities":
            cols = ["activity", "name_nb", "name_en", "category", "scope3_category", "source",
                    "file", "row", "origin"]
        parts = [t for t in (shipped.get(kind), project.get(kind)) if t is not None]
        if not parts:
            out[kind] = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
            continue
        t = pd.concat(parts, ignore_index=True)
        t = t.drop_duplicates(factor_files.TABLE_KEYS[kind], keep="last")
        out[kind] = t.sort_values(factor_files.TABLE_KEYS[kind]).reset_index(drop=True)[
            [c for c in cols if c in t.columns]]
    return out


def _check_scope3(project_factors: pd.DataFrame, activities: pd.DataFrame) -> None:
    """A project's scope 3 row needs a scope 3 category (its own or the activity table's)."""
    if project_factors.empty:
        return
    known = set(activities.loc[activities["scope3_category"].notna(), "activity"])
    f = project_factors
    s3 = f["scope3_category"] if "scope3_category" in f else pd.Series(pd.NA, index=f.index)
    bad = (f["kind"] == "emission") & (pd.to_numeric(f["scope"], errors="coerce") == 3) \
        & s3.isna() & ~f["activity"].isin(known)
    if bad.any():
        i = bad.idxmax()
        raise InputError("a scope 3 row without a scope 3 category", file=f.loc[i, "file"],
                         row=int(f.loc[i, "row"]), column="scope3_category",
                         found=f.loc[i, "activity"],
                         expected="a scope3_category column (GHG Protocol category 1-15) or the "
                                  "activity in activities.csv with its scope3_category")


_SHIPPED: list = []


def shipped_library() -> FactorLibrary:
    """The shipped library alone, read once per process (for lookups without a project)."""
    if not _SHIPPED:
        _SHIPPED.append(load_library(None))
    return _SHIPPED[0]


# --------------------------------------------------------------------------- gases

def is_gas(activity: str) -> bool:
    """Whether an activity is a gas accounted with the GWP table.

    ``refrigerant:<gas>``, ``anaesthetic:<gas>`` and ``nitrous_oxide``.
    """
    a = str(activity)
    return a == "nitrous_oxide" or a.split(":", 1)[0] in GAS_PREFIXES and ":" in a


def gas_name(activity: str) -> str:
    """The GWP-table name of a gas activity (``'refrigerant:R-134a'`` -> ``'R-134a'``)."""
    a = str(activity)
    if ":" in a and a.split(":", 1)[0] in GAS_PREFIXES:
        return a.split(":", 1)[1]
    return a


ANAESTHETIC_GASES = ("desflurane", "sevoflurane", "isoflurane")


def gas_activity(gas: str) -> str:
    """The activity name of a GWP-table gas.

    ``'R-134a'`` -> ``'refrigerant:R-134a'``, ``'desflurane'`` ->
    ``'anaesthetic:desflurane'``, ``'nitrous_oxide'`` -> itself, any other gas
    (``'SF6'``, ``'CH4'``) -> ``'gas:SF6'``.
    """
    g = str(gas)
    if g == "nitrous_oxide":
        return g
    if g.upper().startswith("R-"):
        return "refrigerant:" + g
    if g.lower() in ANAESTHETIC_GASES:
        return "anaesthetic:" + g
    return "gas:" + g


# --------------------------------------------------------------------------- resolving

_OUT_COLS = ["factor_value", "factor_unit", "factor_year", "fallback", "factor_source", "scope",
             "factor_method", "factor_scope3_category"]


def _picked(lib: FactorLibrary, activity: str, kind: str, method: str | None) -> dict | None:
    """The series :func:`resolve` uses, as numpy arrays sorted by year: the activity's
    series of ``method`` where it has one, its method-less series otherwise (None: neither).

    Every (activity, kind, method) series is split out once per library, in
    one pass: a mask per question cost milliseconds, and a report asks ~100.
    """
    if not lib._picked:
        f = lib.factors.sort_values(["activity", "kind", "method", "year"], kind="stable")
        s3 = (f["scope3_category"] if "scope3_category" in f
              else pd.Series(pd.NA, index=f.index, dtype="Int64"))
        cols = {"year": f["year"].to_numpy(dtype="int64"),
                "value": f["value"].to_numpy(dtype="float64"),
                "unit": f["unit"].to_numpy(dtype=object),
                "source": f["source"].to_numpy(dtype=object),
                "scope": f["scope"].to_numpy(dtype=object, na_value=pd.NA),
                "method": f["method"].to_numpy(dtype=object),
                "scope3_category": s3.to_numpy(dtype=object, na_value=pd.NA)}
        keys = list(zip(f["activity"], f["kind"], f["method"]))
        start = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[start]:
                lib._picked[tuple(map(str, keys[start]))] = {c: v[start:i] for c, v in cols.items()}
                start = i
        lib._picked[("", "", "")] = None    # built: an empty library is built too
    if method:
        own = lib._picked.get((activity, kind, method))
        if own is not None:
            return own
    return lib._picked.get((activity, kind, ""))


def resolve(lib: FactorLibrary, requests: pd.DataFrame, *, kind: str = "emission",
            method: str | None = None, gwp: str = "AR5") -> pd.DataFrame:
    """Find the factor for every (activity, year) request.

    Parameters
    ----------
    lib : FactorLibrary
    requests : pandas.DataFrame
        Columns ``activity`` (str) and ``year`` (int).
    kind : {'emission', 'energy'}
        Emission factors or energy contents.
    method : str, optional
        E.g. ``'location'``, ``'market'``, ``'european_mix'``. An activity uses
        its series of that method where it has one, its method-less series
        otherwise.
    gwp : {'AR5', 'AR6'}
        GWP100 set for gases without an explicit emission-factor series.

    Returns
    -------
    pandas.DataFrame
        Same index and order as ``requests``; columns ``factor_value`` (float,
        in ``factor_unit``), ``factor_unit`` (e.g. ``'gCO2e/kWh'``,
        ``'kgCO2e/kg'``, ``'kWh/L'``), ``factor_year`` (int), ``fallback``
        (bool, True when an earlier year was used), ``factor_source``,
        ``scope`` (Int64), ``factor_method`` (str, '' for method-less or GWP),
        ``factor_scope3_category`` (Int64: the factor row's own GHG Protocol
        scope 3 category, NA where the row gives none; it wins over the
        activity table's, :func:`scope3_category`).

    Raises
    ------
    FactorMissing
        Naming the activity and year when the activity has no series.
    """
    if kind not in ("emission", "energy"):
        raise ValueError(f"kind must be 'emission' or 'energy', not {kind!r}")
    gset = str(gwp).upper()
    if gset not in GWP_SETS:
        raise ValueError(f"gwp must be AR5 or AR6, not {gwp!r}")
    req = pd.DataFrame({"activity": requests["activity"].astype(str).to_numpy(),
                        "year": pd.to_numeric(requests["year"]).astype("int64").to_numpy()})
    pairs = req.drop_duplicates().reset_index(drop=True)
    parts = []
    cols: dict[str, list] = {c: [] for c in ("activity", "year", "value", "unit", "factor_year",
                                             "source", "scope", "method", "scope3_category")}
    for activity, grp in pairs.groupby("activity", sort=False):
        years = grp["year"].to_numpy()
        s = _picked(lib, activity, kind, method)
        if s is None:
            if kind == "emission" and is_gas(activity):
                parts.append(_gwp_rows(lib, activity, years, gset))
                continue
            detail = ""
            others = sorted(set(lib.factors.loc[(lib.factors["activity"] == activity)
                                                & (lib.factors["kind"] == kind), "method"]))
            if others and not method:
                detail = "it has only method-based series (" + ", ".join(others) + "); give a method"
            elif not others:
                detail = "the factor library has no such series"
            raise FactorMissing(activity, int(years.min()), kind, method, detail)
        pos = np.searchsorted(s["year"], years, side="right") - 1
        # DESIGN leaves open a year before the series starts: rather than stop
        # the accounts, use the earliest year of the series, flagged as a
        # fallback and reported (an auditor's "earliest available factor").
        pos = np.maximum(pos, 0)
        cols["activity"].append(np.full(len(years), activity, dtype=object))
        cols["year"].append(years)
        cols["factor_year"].append(s["year"][pos])
        for c in ("value", "unit", "source", "scope", "method", "scope3_category"):
            cols[c].append(s[c][pos])
    if cols["activity"]:
        # one frame for every series-based activity: built once, not per activity
        joined = {c: np.concatenate(v) for c, v in cols.items()}
        parts.append(pd.DataFrame({
            "activity": joined["activity"],
            "year": joined["year"].astype("int64"),
            "factor_value": joined["value"].astype("float64"),
            "factor_unit": joined["unit"],
            "factor_year": joined["factor_year"].astype("int64"),
            "fallback": joined["factor_year"] != joined["year"],
            "factor_source": joined["source"],
            "scope": pd.array(joined["scope"], dtype="Int64"),
            "factor_method": joined["method"],
            "factor_scope3_category": pd.array(joined["scope3_category"], dtype="Int64"),
        }))
    if parts:
        table = pd.concat(parts, ignore_index=True)
    else:
        table = pd.DataFrame(columns=["activity", "year", *_OUT_COLS])
    out = req.merge(table, on=["activity", "year"], how="left")
    out.index = requests.index
    out = out[_OUT_COLS]
    out["factor_value"] = out["factor_value"].astype("float64")
    out["factor_year"] = out["factor_year"].astype("int64")
    out["fallback"] = out["fallback"].astype(bool)
    out["scope"] = out["scope"].astype("Int64")
    out["factor_unit"] = out["factor_unit"].astype(str)
    out["factor_source"] = out["factor_source"].astype(str)
    out["factor_method"] = out["factor_method"].astype(str)
    out["factor_scope3_category"] = out["factor_scope3_category"].astype("Int64")
    return out


def _gwp_rows(lib: FactorLibrary, activity: str, years: np.ndarray, gset: str) -> pd.DataFrame:
    gas = gas_name(activity)
    row = lib.gwp[lib.gwp["gas"] == gas]
    if len(row) == 0:
        raise FactorMissing(activity, int(years.min()), "emission", None,
                            f"gas '{gas}' is not in the GWP table")
    r = row.iloc[0]
    return pd.DataFrame({
        "activity": activity,
        "year": years,
        "factor_value": float(r[gset.lower()]),
        "factor_unit": "kgCO2e/kg",
        "factor_year": years.astype("int64"),
        "fallback": False,
        "factor_source": f"{r['source']} (GWP100 {gset})",
        "scope": pd.array([1] * len(years), dtype="Int64"),
        "factor_method": "",
        "factor_scope3_category": pd.array([pd.NA] * len(years), dtype="Int64"),
    })


# --------------------------------------------------------------------------- queries

def amount_units(lib: FactorLibrary) -> dict[str, list[str]]:
    """Per activity, the amount units its factors are expressed per.

    Parameters
    ----------
    lib : FactorLibrary

    Returns
    -------
    dict of str to list of str
        E.g. ``{'diesel': ['L', 'kWh'], 'refrigerant:R-134a': ['kg'],
        'electricity': ['kWh']}``: the denominators of its emission-factor and
        energy-content units, plus ``'kWh'`` where it has an energy content
        (a fuel given in kWh converts back through it). Gases from the GWP
        table are per ``kg``.
    """
    if not lib._units:
        lib._units.update(_amount_units(lib))
    return {a: list(u) for a, u in lib._units.items()}   # a copy: callers may change theirs


def _amount_units(lib: FactorLibrary) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    f = lib.factors
    for activity, grp in f.groupby("activity", sort=True):
        units = list(dict.fromkeys(grp["amount_unit"].tolist()))
        if (grp["kind"] == "energy").any() and "kWh" not in units:
            units.append("kWh")
        out[activity] = units
    for gas in lib.gwp["gas"]:
        act = gas_activity(gas)
        if act not in out:
            out[act] = ["kg"]
    # anaesthetic gases may be given as liquid or in bottles where the gas
    # table knows their density and bottle (DESIGN §3)
    props = lib.tables.get("gas_properties")
    if props is not None and not props.empty:
        for r in props.itertuples(index=False):
            act = gas_activity(r.gas)
            if act in out and r.density_kg_per_l == r.density_kg_per_l:
                out[act] = list(dict.fromkeys(out[act] + ["L"]
                                              + (["bottle"] if r.bottle_ml == r.bottle_ml else [])))
    return dict(sorted(out.items()))


def gas_mass_kg(lib: FactorLibrary, activity: str, quantity: np.ndarray, unit: str
                ) -> tuple[np.ndarray, str] | None:
    """Kilograms of an anaesthetic gas given as liquid or in bottles (DESIGN §3).

    mass [kg] = volume [L] x density [kg/L]; a bottle holds the gas's
    standard bottle volume [mL] of liquid. Both come from
    ``gas_properties.csv`` (a project's own file replaces the shipped row).

    Parameters
    ----------
    lib : FactorLibrary
    activity : str
        E.g. ``anaesthetic:desflurane``.
    quantity : numpy.ndarray
        In ``unit``.
    unit : str
        A volume (``L``, ``ml``) or ``bottle``/``flaske``.

    Returns
    -------
    (numpy.ndarray, str) or None
        The mass [kg] and how it was found (for the calculation line); None
        when the unit is neither a volume nor a bottle or the gas has no row.
    """
    props = lib.tables.get("gas_properties")
    if props is None or props.empty:
        return None
    hit = props[props["gas"].map(gas_activity) == activity]
    if hit.empty:
        return None
    r = hit.iloc[0]
    density = float(r["density_kg_per_l"])
    if is_compatible(unit, "bottle"):
        per = conversion_factor(unit, "bottle") * float(r["bottle_ml"]) / 1000.0
        how = f"{unit} x {float(r['bottle_ml']):g} mL x {density:g} kg/L"
        return np.asarray(quantity, dtype="float64") * per * density, how
    if is_compatible(unit, "L"):
        litres = np.asarray(quantity, dtype="float64") * conversion_factor(unit, "L")
        return litres * density, f"{unit} x {density:g} kg/L"
    return None


def methods(lib: FactorLibrary, activity: str = "electricity") -> list[str]:
    """The methods an activity has emission-factor series for, sorted.

    Returns
    -------
    list of str
        E.g. ``['european_mix', 'location', 'market']``.
    """
    f = lib.factors
    m = f.loc[(f["activity"] == activity) & (f["kind"] == "emission"), "method"]
    return sorted(x for x in set(m) if x)


def list_factors(lib: FactorLibrary, activity: str | None = None,
                 year: int | None = None) -> pd.DataFrame:
    """The library as a table for the ``factors`` command.

    Parameters
    ----------
    lib : FactorLibrary
    activity : str, optional
        Only this activity (gases by activity name, e.g. ``'refrigerant:R-134a'``).
    year : int, optional
        Only the row in force in that year for each series (nearest earlier
        year, or the first year of a series that starts later, as
        :func:`resolve` uses it); gases are listed regardless of year.

    Returns
    -------
    pandas.DataFrame
        Columns ``activity, year (Int64, NA for GWP rows), value, unit, scope,
        method, source, kind`` (``'emission'``, ``'co2'``, ``'energy'``,
        ``'gwp_ar5'`` or ``'gwp_ar6'``), ``origin``.
    """
    f = lib.factors.copy()
    if year is not None:
        # the row resolve() uses for that year: the nearest earlier year, or the
        # series' first year when the year is before the series starts
        f = f.assign(_before=f["year"] <= int(year)).sort_values(["_before", "year"])
        keys = ["activity", "kind", "method"]
        earlier = f[f["_before"]].groupby(keys, sort=False).tail(1)
        later = f[~f["_before"]].groupby(keys, sort=False).head(1)
        f = pd.concat([earlier, later]).drop_duplicates(keys, keep="first").drop(columns="_before")
    cols = ["activity", "year", "value", "unit", "scope", "method", "source", "kind", "origin"]
    f = f[cols].copy()
    f["year"] = f["year"].astype("Int64")
    g = lib.gwp
    gas_rows = []
    for gset in GWP_SETS:
        gas_rows.append(pd.DataFrame({
            "activity": [gas_activity(x) for x in g["gas"]],
            "year": pd.array([pd.NA] * len(g), dtype="Int64"),
            "value": g[gset.lower()].astype("float64").to_numpy(),
            "unit": "kgCO2e/kg",
            "scope": pd.array([1] * len(g), dtype="Int64"),
            "method": "",
            "source": (g["source"].astype(str) + f" (GWP100 {gset})").to_numpy(),
            "kind": f"gwp_{gset.lower()}",
            "origin": g["origin"].to_numpy() if "origin" in g else "shipped",
        }))
    out = pd.concat([f, *gas_rows], ignore_index=True)
    if activity is not None:
        out = out[out["activity"] == activity]
    return out.sort_values(["activity", "kind", "method", "year"],
                           na_position="first").reset_index(drop=True)



def in_force(lib: FactorLibrary, year: int) -> pd.DataFrame:
    """Per series, the row in force in a year and whether it falls back (DESIGN §4).

    Parameters
    ----------
    lib : FactorLibrary
    year : int
        The data year asked for.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`list_factors` for the rows in force (one per
        series; GWP rows as they are, never a fallback), plus ``fallback``
        (bool: the row is of another year) and ``from_year`` (Int64: the
        year of the row used when it falls back, NA otherwise). A year
        before a series starts uses the series' first year, flagged, as
        :func:`resolve` does.
    """
    df = list_factors(lib, year=int(year)).copy()
    fb = df["year"].notna() & (df["year"] != int(year))
    df["fallback"] = fb.fillna(False).astype(bool)
    df["from_year"] = df["year"].where(df["fallback"]).astype("Int64")
    return df


def _activity_row(lib: FactorLibrary, activity: str) -> dict | None:
    """The activity table's row of ``activity`` (first of duplicates), None when absent."""
    if lib._activity_index is None:
        t = lib.tables.get("activities")
        rows = [] if t is None else t.to_dict("records")
        index: dict = {}
        for r in rows:
            index.setdefault(str(r["activity"]), r)
        lib._activity_index = index
    return lib._activity_index.get(str(activity))


def activity_aliases(lib: FactorLibrary) -> dict[str, str]:
    """Names accepted in place of an activity code, lower-cased -> code (DESIGN §3).

    From ``activities.csv``: the Norwegian and English names as written
    (``Lystgass (N2O)``), the same without a bracketed part (``lystgass``),
    and the part after the last comma (``desfluran`` of ``Anestesigass,
    desfluran``). A name that two activities share is left out rather than
    guessed, and a code is never shadowed by another activity's name.

    Returns
    -------
    dict of str to str
    """
    t = lib.tables.get("activities")
    if t is None or t.empty:
        return {}
    codes = {str(a).lower() for a in t["activity"]}
    seen: dict[str, set[str]] = {}
    for r in t.itertuples(index=False):
        for name in (r.name_nb, r.name_en):
            if not isinstance(name, str) or not name.strip():
                continue
            full = " ".join(name.lower().split())
            bare = re.sub(r"\s*\([^)]*\)", "", full).strip()
            tail = bare.rsplit(",", 1)[-1].strip()
            for alias in {full, bare, tail}:
                if alias and alias not in codes:
                    seen.setdefault(alias, set()).add(str(r.activity))
    return {alias: next(iter(acts)) for alias, acts in seen.items() if len(acts) == 1}


def reporting_category(lib: FactorLibrary, activity: str) -> str | None:
    """An activity's reporting category from the activity table (DESIGN §4).

    Returns
    -------
    str or None
        ``energy``, ``patient_transport``, ``staff_travel``, ``own_vehicles``,
        ``gases``, ``waste`` or ``purchases``; None when the activity is not
        in the table.
    """
    r = _activity_row(lib, activity)
    return None if r is None else str(r["category"])


def scope3_category(lib: FactorLibrary, activity: str, row_category=None) -> int | None:
    """The GHG Protocol scope 3 category of a line (DESIGN §4).

    Parameters
    ----------
    lib : FactorLibrary
    activity : str
    row_category : int, optional
        The factor row's ``scope3_category``, which wins where given.

    Returns
    -------
    int or None
        The factor row's category where given, else the activity table's;
        for ``spend:`` activities 1 when neither gives one; None otherwise.
    """
    if row_category is not None and not pd.isna(row_category):
        return int(row_category)
    r = _activity_row(lib, activity)
    if r is not None and not pd.isna(r["scope3_category"]):
        return int(r["scope3_category"])
    if str(activity).startswith("spend:"):
        return 1
    return None


def activity_name(lib: FactorLibrary, activity: str, lang: str = "en") -> str:
    """An activity's name in ``nb`` or ``en`` from the activity table (DESIGN §3); the
    code itself when the activity is not in the table."""
    r = _activity_row(lib, activity)
    if r is None:
        return str(activity)
    return str(r["name_nb"] if str(lang).lower().startswith("nb") else r["name_en"])
