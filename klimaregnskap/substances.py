"""Listed (health- and environmentally harmful) substances and the share of
purchased products free of them (DESIGN §3 Purchased products, §4).

The shipped substitution list is ``factors/listed_substances.csv`` (columns
``cas, name, list, source``): one row per CAS number; a substance on several
lists names them all in ``list`` separated by ``' | '``, and ``source`` cites
each list in the same order, also separated by ``' | '``.

A project adds substances with its own list file(s) in ``<project>/factors/``
(CSV or XLSX, any file name), recognised by having a ``cas`` and a ``name``
column (Norwegian: ``cas-nr``, ``navn``/``stoff``; optional ``list``/``liste``,
required ``source``/``kilde``). A project list never removes shipped entries.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from klimaregnskap.readers.cas import is_valid_cas, normalise_cas
from klimaregnskap.errors import InputError
from klimaregnskap.readers.columns import fold
from klimaregnskap.readers.tables import check_xlsx_safe, column_strings, read_table

__all__ = ["LISTED_SCHEMA", "SHIPPED_FILE", "LIST_SEPARATOR", "load_listed_substances",
           "read_listed_file", "is_listed_file", "shipped_factors_dir", "product_shares",
           "PER_YEAR_COLUMNS", "NOT_FREE_COLUMNS"]

SHIPPED_FILE = "listed_substances.csv"
#: separator between several lists (and their sources) of one substance
LIST_SEPARATOR = " | "
#: origin of rows from the shipped list (project rows carry their file path)
SHIPPED_ORIGIN = "shipped"

#: canonical column -> accepted header spellings (matched with ``fold``)
_ALIASES: dict[str, list[str]] = {
    "cas": ["cas", "cas_nr", "casnr", "cas-nr", "cas_number", "cas-nummer", "cas_nummer",
            "cas_no"],
    "name": ["name", "navn", "stoff", "stoffnavn", "substance", "substance_name"],
    "list": ["list", "liste", "list_name"],
    "source": ["source", "kilde"],
}
_BY_FOLDED = {fold(a): canon for canon, aliases in _ALIASES.items() for a in aliases}
_SUFFIXES = {".csv", ".xlsx", ".xlsm"}

LISTED_SCHEMA = pa.DataFrameSchema(
    {
        "cas": pa.Column(str, pa.Check(lambda s: s.map(is_valid_cas),
                                       error="CAS number with a valid check digit")),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "list": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
        "origin": pa.Column(str, pa.Check.str_length(min_value=1)),
    },
    strict=True, ordered=True, coerce=False,
)

PER_YEAR_COLUMNS = ["year", "products", "free_products", "free_share_pct", "spend_total",
                    "spend_free", "spend_weighted_free_share_pct"]
NOT_FREE_COLUMNS = ["year", "product_id", "description", "reason"]


# ------------------------------------------------------------------ list files

def shipped_factors_dir() -> Path:
    """The folder of the shipped factor library (see :func:`klimaregnskap.factors.shipped_factor_dir`)."""
    from klimaregnskap.factors import shipped_factor_dir

    return shipped_factor_dir()


def _header_columns(cells: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        canon = _BY_FOLDED.get(fold(c))
        if canon is not None and canon not in found:
            found[canon] = i
    return found


def _is_list_header(cells: list[str]) -> bool:
    cols = _header_columns(cells)
    return "cas" in cols and "name" in cols


def _first_rows(path: Path, n: int = 30) -> list[list[str]]:
    """The first ``n`` rows of a CSV/XLSX file as stripped strings (for sniffing)."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        check_xlsx_safe(path)
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            rows = []
            for rec in ws.iter_rows(max_row=n, values_only=True):
                rows.append(["" if v is None else str(v).strip() for v in rec])
            return rows
        finally:
            wb.close()
    raw = path.read_bytes()[: 1 << 16]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()[:n]
    rows: list[list[str]] = []
    for delim in (";", "\t", ","):
        rows.extend([c.strip() for c in rec] for rec in csv.reader(lines, delimiter=delim))
    return rows


def is_listed_file(path: str | Path) -> bool:
    """Whether a file is a list of substances (has ``cas`` and ``name`` columns).

    Parameters
    ----------
    path : str or Path
        A CSV or XLSX file.

    Returns
    -------
    bool
    """
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES or not path.is_file():
        return False
    try:
        return any(_is_list_header(r) for r in _first_rows(path))
    except (OSError, ValueError, KeyError):
        return False


def read_listed_file(path: str | Path, origin: str | None = None) -> pd.DataFrame:
    """Read and validate one list of substances.

    Parameters
    ----------
    path : str or Path
        CSV or XLSX with columns ``cas, name, source`` and optional ``list``
        (Norwegian names accepted, see module docstring). Without a ``list``
        column the list is named after the file (its stem).
    origin : str, optional
        Value of the ``origin`` column; default the file path.

    Returns
    -------
    pandas.DataFrame
        ``cas, name, list, source, origin`` (all str), CAS normalised.

    Raises
    ------
    InputError
        A missing column, an empty cell, or a CAS number that is malformed or
        whose check digit does not match (file, spreadsheet row, column and
        value are named). The whole file is refused.
    """
    path = Path(path)
    table = read_table(path, header_predicate=_is_list_header)
    header = list(table.frame.columns)
    cols = {}
    for c in header:
        canon = _BY_FOLDED.get(fold(c))
        if canon is not None and canon not in cols:
            cols[canon] = c
    for need in ("cas", "name", "source"):
        if need not in cols:
            raise InputError(f"missing column '{need}'", file=str(path), row=table.header_row,
                             column=need, found=", ".join(map(str, header)),
                             expected="columns cas, name, list (optional), source")
    cas_raw = column_strings(table, cols["cas"])
    name = column_strings(table, cols["name"])
    source = column_strings(table, cols["source"])
    if "list" in cols:
        lst = column_strings(table, cols["list"])
    else:
        lst = pd.Series([path.stem] * len(table.frame), dtype=object)

    # A fully blank row between entries is ignored, as a spreadsheet user expects.
    filled = (cas_raw != "") | (name != "") | (source != "")
    if "list" in cols:
        filled |= lst != ""
    keep = filled.to_numpy(dtype=bool)

    uniq = pd.unique(cas_raw[keep])
    norm = {u: normalise_cas(u) for u in uniq}
    valid = {u: is_valid_cas(n) for u, n in norm.items()}
    cas = cas_raw.map(norm)
    bad = keep & ~cas_raw.map(valid).fillna(False).to_numpy(dtype=bool)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        found = cas_raw.iloc[pos]
        raise table.error("invalid CAS number (malformed or wrong check digit)"
                          if found else "empty CAS number", pos, cols["cas"], found,
                          "a CAS number such as 117-81-7 whose last digit is its check digit")
    for canon, series, what in (("name", name, "the substance's name"),
                                ("source", source, "the source of the entry (publication "
                                 "and where in it)"),
                                ("list", lst, "the name of the list")):
        empty = keep & (series == "").to_numpy()
        if empty.any():
            pos = int(np.flatnonzero(empty)[0])
            raise table.error(f"empty {canon}", pos, cols.get(canon, canon), "", what)
    out = pd.DataFrame({
        "cas": cas[keep].astype(str).to_numpy(dtype=object),
        "name": name[keep].astype(str).to_numpy(dtype=object),
        "list": lst[keep].astype(str).to_numpy(dtype=object),
        "source": source[keep].astype(str).to_numpy(dtype=object),
        "origin": np.full(int(keep.sum()), origin if origin is not None else str(path),
                          dtype=object),
    })
    return out


def load_listed_substances(project_dir: Path | None = None) -> pd.DataFrame:
    """The substitution list: shipped entries plus a project's own list files.

    Parameters
    ----------
    project_dir : Path, optional
        The project folder; its ``factors/`` folder is searched for list files
        (CSV/XLSX with ``cas`` and ``name`` columns). Other files there (factor
        files) are ignored. ``None``: shipped list only.

    Returns
    -------
    pandas.DataFrame
        ``cas, name, list, source, origin``; ``origin`` is ``"shipped"`` or the
        project file's path. Project entries add to the shipped ones; a CAS
        number may appear more than once (e.g. shipped and in a project list).

    Raises
    ------
    InputError
        A list file with an invalid CAS number or a missing source (see
        :func:`read_listed_file`), or a missing shipped list.
    """
    shipped = shipped_factors_dir() / SHIPPED_FILE
    if not shipped.is_file():
        raise InputError("the shipped list of substances is missing", file=str(shipped))
    frames = [read_listed_file(shipped, origin=SHIPPED_ORIGIN)]
    if project_dir is not None:
        fdir = Path(project_dir) / "factors"
        if fdir.is_dir() and fdir.resolve() != shipped.parent.resolve():
            for p in sorted(fdir.iterdir()):
                if p.name.startswith((".", "~$")):
                    continue
                if is_listed_file(p):
                    frames.append(read_listed_file(p))
    out = pd.concat(frames, ignore_index=True)
    return LISTED_SCHEMA.validate(out)


# -------------------------------------------------------------- product shares

def _listed_by_cas(listed: pd.DataFrame) -> pd.DataFrame:
    """One row per CAS: first name, every list it is on (``' | '``-joined)."""
    lst = listed[["cas", "name", "list"]].copy()
    lst["cas"] = lst["cas"].astype(str).map(normalise_cas)
    names = lst.drop_duplicates("cas").set_index("cas")["name"]
    lists = (lst.assign(list=lst["list"].astype(str).str.split(LIST_SEPARATOR.strip(),
                                                                 regex=False))
             .explode("list"))
    lists["list"] = lists["list"].str.strip()
    lists = lists[lists["list"] != ""].drop_duplicates(["cas", "list"])
    joined = lists.groupby("cas", sort=False)["list"].agg(LIST_SEPARATOR.join)
    return pd.DataFrame({"name": names, "lists": joined.reindex(names.index).fillna("")})


def product_shares(products: pd.DataFrame, listed: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Share of purchased products free of listed substances, per year.

    A product (distinct ``product_id``) counts once per year however many
    order lines it has. It is *not free* that year when any of its lines is
    flagged ``contains_listed_substance`` or any CAS number on any of its
    lines is in ``listed``.

    Parameters
    ----------
    products : pandas.DataFrame
        One row per order line: ``year`` (int), ``product_id`` (str),
        ``quantity`` (float, count of items; not used for the shares),
        ``description`` (str), ``spend`` (float, in the currency of the input,
        NOK; NaN when absent), ``contains_listed_substance`` (boolean, NA when
        absent), ``cas_numbers`` (str, ``;``-joined normalised CAS numbers,
        ``''`` for none). Missing optional columns count as absent.
    listed : pandas.DataFrame
        ``cas, name, list`` (as from :func:`load_listed_substances`).

    Returns
    -------
    per_year : pandas.DataFrame
        ``year, products, free_products, free_share_pct (%), spend_total,
        spend_free (currency of the input), spend_weighted_free_share_pct (%)``.
        The spend-weighted share is taken over products with a known spend:
        a product's spend is the sum of its lines' known spend; a product
        with no known spend on any line that year is left out of both
        ``spend_total`` and ``spend_free``. ``spend_total``, ``spend_free``
        and the spend-weighted share are NaN when no product has a spend
        that year (the share also when the total spend is 0).
    not_free : pandas.DataFrame
        ``year, product_id, description, reason`` for every product that is
        not free. ``reason`` is ``'; '``-joined items, ``flagged`` first and
        then one ``listed: <cas> <name> (<lists>)`` per listed CAS number,
        e.g. ``flagged; listed: 117-81-7 Bis(2-ethylhexyl) phthalate (DEHP)
        (REACH Candidate List | Prioritetslisten)``.
    """
    n = len(products)
    year = pd.to_numeric(products["year"]).astype("int64").to_numpy() if n else \
        np.array([], dtype="int64")
    pid = products["product_id"].astype(str).to_numpy(dtype=object) if n else \
        np.array([], dtype=object)

    def col(name, default):
        if name in products.columns:
            return products[name]
        return pd.Series([default] * n, index=products.index, dtype=object)

    desc = col("description", "").astype(object).where(col("description", "").notna(), "")
    spend = pd.to_numeric(col("spend", np.nan), errors="coerce").astype("float64")
    flag = col("contains_listed_substance", pd.NA).astype("boolean").fillna(False)
    cas_text = col("cas_numbers", "").fillna("").astype(str)

    lines = pd.DataFrame({"year": year, "product_id": pid,
                          "description": desc.astype(str).str.strip().to_numpy(dtype=object),
                          "spend": spend.to_numpy(), "flagged": flag.to_numpy(dtype=bool)})
    keys = ["year", "product_id"]

    g = lines.groupby(keys, sort=True)
    per_product = pd.DataFrame({
        "flagged": g["flagged"].any(),
        "spend": g["spend"].sum(min_count=1),
    })
    # first non-empty description of the product that year
    d = lines[lines["description"] != ""].groupby(keys, sort=True)["description"].first()
    per_product["description"] = d.reindex(per_product.index).fillna("")

    # CAS numbers: explode the lists, keep each (year, product, cas) once, merge.
    cas_lines = pd.DataFrame({"year": year, "product_id": pid,
                              "cas": cas_text.str.replace("|", ";", regex=False)
                              .str.split(";").to_numpy(dtype=object)})
    cas_lines = cas_lines.explode("cas")
    cas_lines["cas"] = cas_lines["cas"].fillna("").astype(str).str.strip()
    cas_lines = cas_lines[cas_lines["cas"] != ""]
    uniq = pd.unique(cas_lines["cas"])
    cas_lines["cas"] = cas_lines["cas"].map({u: normalise_cas(u) for u in uniq})
    cas_lines = cas_lines.drop_duplicates(keys + ["cas"])
    by_cas = _listed_by_cas(listed) if len(listed) else \
        pd.DataFrame({"name": pd.Series(dtype=object), "lists": pd.Series(dtype=object)})
    hits = cas_lines.merge(by_cas, left_on="cas", right_index=True, how="inner")
    hits["item"] = ("listed: " + hits["cas"] + " " + hits["name"].astype(str)
                    + " (" + hits["lists"].astype(str) + ")")
    listed_reason = hits.groupby(keys, sort=True)["item"].agg("; ".join)
    per_product["listed_reason"] = listed_reason.reindex(per_product.index)
    per_product["free"] = ~per_product["flagged"] & per_product["listed_reason"].isna()

    # ---- per year
    pp = per_product.reset_index()
    pp["free_spend"] = pp["spend"].where(pp["free"], 0.0).where(pp["spend"].notna())
    gy = pp.groupby("year", sort=True)
    per_year = pd.DataFrame({
        "products": gy["product_id"].size().astype("int64"),
        "free_products": gy["free"].sum().astype("int64"),
        "spend_total": gy["spend"].sum(min_count=1).astype("float64"),
        "spend_free": gy["free_spend"].sum(min_count=1).astype("float64"),
    })
    per_year["free_share_pct"] = per_year["free_products"] / per_year["products"] * 100.0
    total = per_year["spend_total"]
    per_year["spend_weighted_free_share_pct"] = (
        per_year["spend_free"] / total.where(total != 0) * 100.0)
    per_year = per_year.reset_index()
    per_year["year"] = per_year["year"].astype("int64")
    per_year = per_year[PER_YEAR_COLUMNS].reset_index(drop=True)

    # ---- not free
    nf = pp[~pp["free"]].copy()
    flagged_part = np.where(nf["flagged"].to_numpy(dtype=bool), "flagged", "")
    listed_part = nf["listed_reason"].fillna("").to_numpy(dtype=object)
    both = (flagged_part != "") & (listed_part != "")
    reason = np.where(both, np.char.add(np.char.add(flagged_part.astype(str), "; "),
                                        listed_part.astype(str)),
                      np.where(flagged_part != "", flagged_part, listed_part))
    not_free = pd.DataFrame({
        "year": nf["year"].astype("int64").to_numpy(),
        "product_id": nf["product_id"].astype(str).to_numpy(dtype=object),
        "description": nf["description"].astype(str).to_numpy(dtype=object),
        "reason": pd.Series(reason, dtype=object).astype(str).to_numpy(dtype=object),
    }, columns=NOT_FREE_COLUMNS)
    return per_year, not_free.reset_index(drop=True)
