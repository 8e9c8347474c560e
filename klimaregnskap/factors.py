"""The factor library: emission factors, energy contents and GWP values.

The shipped library lives in the repository's ``factors/`` folder (installed
as the package ``klimaregnskap.shipped_factors``); a project may keep its own
``factors/`` folder whose series replace shipped series (DESIGN §3).

Vocabulary
----------
row kind
    ``emission``: the unit is CO2e per amount (``gCO2e/kWh``, ``kgCO2e/L``,
    ``kgCO2e/tonne``); ``energy``: the unit is energy per amount
    (``kWh/L``, ``kWh/Sm3``), the activity's energy content.
series
    The rows of one (activity, kind, method). A project's series replaces the
    shipped series with the same key entirely, all years, so the
    nearest-earlier-year fallback never mixes project and shipped values.
gases
    Refrigerants and anaesthetic gases are converted with the GWP table
    (``gas, ar5, ar6, source``), in kgCO2e per kg; an explicit emission row
    for the gas wins.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.state import shipped_factor_dir
from klimaregnskap.errors import InputError, KlimaError, UnitError
from klimaregnskap.units import parse_unit, ureg

FACTOR_COLUMNS = ["activity", "year", "value", "unit", "scope", "method", "source"]
GWP_COLUMNS = ["gas", "ar5", "ar6", "source"]
GAS_PREFIXES = ("refrigerant", "anaesthetic")
GWP_SETS = ("AR5", "AR6")

_ENERGY_DIM = ureg.parse_units("kWh").dimensionality
_CO2E_DIM = ureg.parse_units("kgCO2e").dimensionality


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
    """

    factors: pd.DataFrame
    gwp: pd.DataFrame
    sha256: str
    files: list[Path] = field(default_factory=list)


# --------------------------------------------------------------------------- schemas

def _nonempty(s: pd.Series) -> pd.Series:
    return s.astype(str).str.strip() != ""


FACTOR_ROW_SCHEMA = pa.DataFrameSchema(
    {
        "activity": pa.Column(str, pa.Check(_nonempty, error="a non-empty activity name")),
        "year": pa.Column("int64", pa.Check.in_range(1900, 2200, error="a year such as 2024")),
        "value": pa.Column("float64", pa.Check.ge(0, error="a number >= 0")),
        "unit": pa.Column(str),
        "scope": pa.Column("Int64", nullable=True),
        "method": pa.Column(str),
        "source": pa.Column(str, pa.Check(_nonempty, error="a source (publication, table, year)")),
        "kind": pa.Column(str, pa.Check.isin(["emission", "energy"])),
    },
    strict=False,
)
"""Typed factor rows after parsing (see :func:`read_factor_file`)."""

GWP_ROW_SCHEMA = pa.DataFrameSchema(
    {
        "gas": pa.Column(str, pa.Check(_nonempty, error="a non-empty gas name")),
        "ar5": pa.Column("float64", pa.Check.ge(0, error="a GWP100 number >= 0")),
        "ar6": pa.Column("float64", pa.Check.ge(0, error="a GWP100 number >= 0")),
        "source": pa.Column(str, pa.Check(_nonempty, error="a source (publication, table, year)")),
    },
    strict=False,
)
"""Typed GWP rows (GWP100, kgCO2e per kg of gas)."""


def _validate(schema: pa.DataFrameSchema, df: pd.DataFrame, path: Path,
              rows: pd.Series) -> None:
    """Run a pandera schema and turn its first failure into an InputError."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()] if "index" in fc else fc
        if len(fc) == 0:
            raise InputError(str(exc), file=str(path)) from None
        first = fc.sort_values("index").iloc[0]
        idx = first["index"]
        col = first["column"]
        check = str(first["check"])
        raise InputError("invalid value", file=str(path), row=int(rows.loc[idx]),
                         column=col, found=first["failure_case"], expected=check) from None


# --------------------------------------------------------------------------- reading

def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _read_table(path: Path) -> pd.DataFrame:
    """Read a CSV as strings: comma or semicolon separated, UTF-8 (BOM) or cp1252."""
    text = _decode(path.read_bytes())
    header = text.splitlines()[0] if text.strip() else ""
    sep = ";" if header.count(";") > header.count(",") else ","
    df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                     skip_blank_lines=True, skipinitialspace=True)
    df.columns = [str(c).strip().lower() for c in df.columns]
    return df


def _number(series: pd.Series, path: Path, column: str, rows: pd.Series) -> pd.Series:
    """Parse decimal point or decimal comma numbers; error names the first bad cell."""
    s = series.astype(str).str.strip().str.replace("\u00a0", "", regex=False)
    s = s.str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    out = pd.to_numeric(s, errors="coerce")
    bad = out.isna()
    if bad.any():
        i = bad.idxmax()
        raise InputError("not a number", file=str(path), row=int(rows.loc[i]), column=column,
                         found=series.loc[i], expected="a number (decimal point or comma)")
    return out.astype("float64")


def classify_unit(unit: str) -> tuple[str, str]:
    """Tell an emission-factor unit from an energy-content unit.

    Parameters
    ----------
    unit : str
        A factor unit such as ``"gCO2e/kWh"``, ``"kgCO2e/L"`` or ``"kWh/Sm3"``.

    Returns
    -------
    tuple of (str, str)
        ``(kind, amount_unit)``: kind ``'emission'`` or ``'energy'`` and the
        denominator as written (``'kWh'``, ``'L'``, ``'Sm3'``).

    Raises
    ------
    UnitError
        If the unit is unknown, or is neither CO2e per amount nor energy per
        amount (``reason`` then says so).
    """
    text = str(unit).strip()
    parts = text.split("/")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")
    num, den = parts[0].strip(), parts[1].strip()
    num_dim = parse_unit(num).dimensionality
    den_u = parse_unit(den)
    if den_u.dimensionality == parse_unit("1").dimensionality:
        raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")
    if num_dim == _CO2E_DIM:
        return "emission", den
    if num_dim == _ENERGY_DIM:
        return "energy", den
    raise UnitError(text, "CO2e per amount or energy per amount", reason="incompatible")


def read_factor_file(path: Path) -> tuple[str, pd.DataFrame]:
    """Read and validate one factor-library CSV.

    Parameters
    ----------
    path : Path
        A CSV with the factor columns or the GWP columns.

    Returns
    -------
    tuple of (str, pandas.DataFrame)
        ``('factors', frame)``, ``('gwp', frame)`` or ``('ignored', empty)``
        for a listed-substances file (a ``cas`` column).

    Raises
    ------
    InputError
        Naming file, spreadsheet row (header = row 1), column, the value
        found and what was expected.
    """
    path = Path(path)
    df = _read_table(path)
    cols = set(df.columns)
    if "cas" in cols:
        return "ignored", pd.DataFrame()
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
    if set(GWP_COLUMNS) <= cols:
        kind = "gwp"
    elif set(FACTOR_COLUMNS) <= cols:
        kind = "factors"
    else:
        raise InputError("not a factor file", file=str(path), row=1, found=", ".join(df.columns),
                         expected="columns " + ", ".join(FACTOR_COLUMNS)
                         + " (or " + ", ".join(GWP_COLUMNS) + " for a GWP table)")
    if len(df) == 0:
        raise InputError("the file has no data rows", file=str(path), row=2,
                         expected="at least one row below the header")
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip()
    if kind == "gwp":
        out = pd.DataFrame({
            "gas": df["gas"],
            "ar5": _number(df["ar5"], path, "ar5", rows),
            "ar6": _number(df["ar6"], path, "ar6", rows),
            "source": df["source"],
        }, index=df.index)
        _validate(GWP_ROW_SCHEMA, out, path, rows)
        dup = out["gas"].duplicated()
        if dup.any():
            i = dup.idxmax()
            raise InputError("gas listed twice", file=str(path), row=int(rows.loc[i]),
                             column="gas", found=out.loc[i, "gas"], expected="one row per gas")
        out["file"] = str(path)
        out["row"] = rows
        return "gwp", out.reset_index(drop=True)

    # factor rows
    year = _number(df["year"], path, "year", rows)
    frac = (year % 1) != 0
    if frac.any():
        i = frac.idxmax()
        raise InputError("not a whole year", file=str(path), row=int(rows.loc[i]), column="year",
                         found=df.loc[i, "year"], expected="a year such as 2024")
    value = _number(df["value"], path, "value", rows)
    kinds = []
    for i, u in df["unit"].items():
        try:
            kinds.append(_classify_cached(u))
        except UnitError as exc:
            why = ("unknown unit" if exc.reason == "unknown"
                   else "unit is neither CO2e per amount nor energy per amount")
            raise InputError(why, file=str(path), row=int(rows.loc[i]), column="unit", found=u,
                             expected="CO2e per amount (gCO2e/kWh, kgCO2e/L, kgCO2e/tonne) or "
                                      "energy per amount (kWh/L, kWh/Sm3, MWh/tonne)") from None
    kind_s = pd.Series([k for k, _ in kinds], index=df.index, dtype=str)
    amount = pd.Series([a for _, a in kinds], index=df.index, dtype=str)
    scope_txt = df["scope"].str.replace(".0", "", regex=False)
    is_em = kind_s == "emission"
    bad_em = is_em & ~scope_txt.isin(["1", "2", "3"])
    if bad_em.any():
        i = bad_em.idxmax()
        raise InputError("emission-factor row needs a scope", file=str(path),
                         row=int(rows.loc[i]), column="scope", found=df.loc[i, "scope"],
                         expected="1, 2 or 3")
    bad_en = ~is_em & (scope_txt != "")
    if bad_en.any():
        i = bad_en.idxmax()
        raise InputError("energy-content row must not have a scope", file=str(path),
                         row=int(rows.loc[i]), column="scope", found=df.loc[i, "scope"],
                         expected="an empty cell (the unit is energy per amount)")
    scope = pd.array([int(s) if s in ("1", "2", "3") else pd.NA for s in scope_txt],
                     dtype="Int64")
    out = pd.DataFrame({
        "activity": df["activity"],
        "year": year.astype("int64"),
        "value": value,
        "unit": df["unit"],
        "scope": pd.Series(scope, index=df.index),
        "method": df["method"].astype(str),
        "source": df["source"],
        "kind": kind_s,
    }, index=df.index)
    _validate(FACTOR_ROW_SCHEMA, out, path, rows)
    dup = out.duplicated(["activity", "kind", "method", "year"])
    if dup.any():
        i = dup.idxmax()
        raise InputError("the same activity, method and year appears twice", file=str(path),
                         row=int(rows.loc[i]), column="year", found=int(out.loc[i, "year"]),
                         expected="one row per activity, kind, method and year")
    out["amount_unit"] = amount
    out["file"] = str(path)
    out["row"] = rows.astype("int64")
    return "factors", out.reset_index(drop=True)


_CLASSIFY_CACHE: dict[str, tuple[str, str]] = {}


def _classify_cached(unit: str) -> tuple[str, str]:
    if unit not in _CLASSIFY_CACHE:
        _CLASSIFY_CACHE[unit] = classify_unit(unit)
    return _CLASSIFY_CACHE[unit]


# --------------------------------------------------------------------------- loading

def _csv_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".csv"),
                  key=lambda p: (p.name, str(p)))


def _read_folder(folder: Path, origin: str):
    facs, gwps, used = [], [], []
    for path in _csv_files(folder):
        kind, df = read_factor_file(path)
        if kind == "ignored":
            continue
        used.append(path)
        df["origin"] = origin
        (gwps if kind == "gwp" else facs).append(df)
    return facs, gwps, used


_FACTOR_OUT = ["activity", "year", "value", "unit", "scope", "method", "source", "kind",
               "origin", "file", "row", "amount_unit"]


def load_library(project_dir: Path | None = None) -> FactorLibrary:
    """Load the shipped library and, if present, the project's ``factors/`` folder.

    Parameters
    ----------
    project_dir : Path, optional
        The project folder. Its ``factors/`` series replace shipped series of
        the same (activity, kind, method) entirely; its GWP rows replace
        shipped GWP rows per gas. When that folder is the shipped folder
        itself (the demo repository), it is read once, as shipped.

    Returns
    -------
    FactorLibrary

    Raises
    ------
    InputError
        For the first invalid file, row and column.
    """
    shipped = shipped_factor_dir()
    s_fac, s_gwp, s_used = _read_folder(shipped, "shipped")
    p_fac, p_gwp, p_used = [], [], []
    if project_dir is not None:
        pdir = Path(project_dir) / "factors"
        if pdir.is_dir() and pdir.resolve() != shipped.resolve():
            p_fac, p_gwp, p_used = _read_folder(pdir, "project")

    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in _FACTOR_OUT})
    shipped_f = _concat(s_fac, empty, "shipped")
    project_f = _concat(p_fac, empty, "project")
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
    gwp = pd.concat([*s_gwp, *p_gwp], ignore_index=True) if (s_gwp or p_gwp) else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in gwp_cols})
    gwp = gwp.drop_duplicates("gas", keep="last").reset_index(drop=True)
    gwp["ar5"] = gwp["ar5"].astype("float64")
    gwp["ar6"] = gwp["ar6"].astype("float64")

    files = sorted(s_used + p_used, key=lambda p: (p.name, str(p)))
    h = hashlib.sha256()
    for p in files:
        h.update(p.name.encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return FactorLibrary(factors=factors, gwp=gwp[gwp_cols], sha256=h.hexdigest(), files=files)


def _concat(frames, empty, origin):
    if not frames:
        return empty.copy()
    df = pd.concat(frames, ignore_index=True)
    dup = df.duplicated(["activity", "kind", "method", "year"])
    if dup.any():
        i = dup.idxmax()
        raise InputError(f"the same activity, method and year appears in two {origin} files",
                         file=df.loc[i, "file"], row=int(df.loc[i, "row"]), column="year",
                         found=int(df.loc[i, "year"]),
                         expected="one row per activity, kind, method and year")
    return df[_FACTOR_OUT]


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


def gas_activity(gas: str) -> str:
    """The activity name of a GWP-table gas (``'R-134a'`` -> ``'refrigerant:R-134a'``)."""
    g = str(gas)
    if g == "nitrous_oxide":
        return g
    if g.upper().startswith("R-"):
        return "refrigerant:" + g
    return "anaesthetic:" + g


# --------------------------------------------------------------------------- resolving

_OUT_COLS = ["factor_value", "factor_unit", "factor_year", "fallback", "factor_source", "scope",
             "factor_method"]


def _series_for(lib: FactorLibrary, activity: str, kind: str, method: str | None) -> pd.DataFrame:
    f = lib.factors
    cand = f[(f["activity"] == activity) & (f["kind"] == kind)]
    if method:
        own = cand[cand["method"] == method]
        if len(own):
            return own
    return cand[cand["method"] == ""]


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
        ``scope`` (Int64), ``factor_method`` (str, '' for method-less or GWP).

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
    for activity, grp in pairs.groupby("activity", sort=False):
        years = grp["year"].to_numpy()
        s = _series_for(lib, activity, kind, method).sort_values("year")
        if len(s) == 0:
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
        sy = s["year"].to_numpy()
        pos = np.searchsorted(sy, years, side="right") - 1
        # DESIGN leaves open a year before the series starts: rather than stop
        # the accounts, use the earliest year of the series, flagged as a
        # fallback and reported (an auditor's "earliest available factor").
        pos = np.maximum(pos, 0)
        chosen = s.iloc[pos]
        parts.append(pd.DataFrame({
            "activity": activity,
            "year": years,
            "factor_value": chosen["value"].to_numpy(dtype="float64"),
            "factor_unit": chosen["unit"].to_numpy(dtype=object),
            "factor_year": chosen["year"].to_numpy(dtype="int64"),
            "fallback": chosen["year"].to_numpy() != years,
            "factor_source": chosen["source"].to_numpy(dtype=object),
            "scope": pd.array(chosen["scope"].to_numpy(), dtype="Int64"),
            "factor_method": chosen["method"].to_numpy(dtype=object),
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
    return dict(sorted(out.items()))


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
        method, source, kind`` (``'emission'``, ``'energy'``, ``'gwp_ar5'`` or
        ``'gwp_ar6'``), ``origin``.
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
