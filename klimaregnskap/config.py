"""The project configuration, ``klimaregnskap.toml``, read into dataclasses.

Unknown keys, wrong types and unknown site ids are errors that name the file
and the key: a typo must never be silently ignored (DESIGN §2).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from klimaregnskap.errors import ConfigError, UnitError
from klimaregnskap.vocabulary import indicators

CONFIG_NAME = "klimaregnskap.toml"

#: Indicators with a target, the kind of target and its shipped default (DESIGN §1),
#: from ``vocabulary/indicators.csv``. ``level`` is a change in percent of the
#: baseline for reductions, a level in percent for shares, and a value in the
#: indicator's unit for net-zero paths.
DEFAULT_TARGETS = {i.name: (i.target_kind, i.target_year, i.target_level)
                   for i in indicators().values()}

#: Unit of each indicator, and of baseline-adjustment amounts.
INDICATOR_UNITS = {i.name: i.unit for i in indicators().values()}

#: Indicators that ``[[baseline_adjustments]]`` may name: those that restate themselves.
ADJUSTABLE_INDICATORS = tuple(i.name for i in indicators().values() if i.restated_with == i.name)


@dataclass(frozen=True)
class Site:
    """A site (building or campus) of the organisation.

    Parameters
    ----------
    id : str
        Identifier used in input files.
    name : str
        Display name.
    area_m2 : dict of int to float
        Heated gross area [m2] from a year on; a year holds until the next.
    hdd_normal : float or None
        Normal-year heating degree days [K·day], base 17 °C.
    heating_share : float or None
        Share [-] of delivered energy that varies with weather; None when not
        given (the normalisation rule then uses its default,
        :data:`klimaregnskap.calc.normalisation.DEFAULT_HEATING_SHARE`).
    opened : datetime.date or None
        First day the site is part of the trust (local); None: always.
    closed : datetime.date or None
        Last day the site is open (local, open through this date); None: still
        open. Meters and food waste are expected only while the site is open
        (DESIGN §2, §4).
    """

    id: str
    name: str
    area_m2: dict[int, float] = field(default_factory=dict)
    hdd_normal: float | None = None
    heating_share: float | None = None
    opened: dt.date | None = None
    closed: dt.date | None = None

    def area_for(self, year: int) -> float | None:
        """Heated area [m2] in ``year``: the latest entry at or before it, else None."""
        years = [y for y in self.area_m2 if y <= year]
        return self.area_m2[max(years)] if years else None


@dataclass(frozen=True)
class Target:
    """A target for one indicator.

    Parameters
    ----------
    indicator : str
    kind : str
        ``reduction`` (level is % change vs baseline), ``level`` (level is the
        share in %), ``net_zero`` (level in the indicator's unit, normally 0)
        or ``increase`` (direction only).
    year : int
        Target year.
    level : float or None
        See ``kind``.
    """

    indicator: str
    kind: str
    year: int
    level: float | None


@dataclass(frozen=True)
class BaselineAdjustment:
    """A structural change restating history (GHG Protocol base-year recalculation).

    Parameters
    ----------
    indicator : str
        ``emissions``, ``energy`` or ``food_waste``.
    amount : float
        Added to every year before ``year``, in the indicator's unit
        (tCO2e, kWh or kg); negative removes.
    amount_as_written : str
        The amount as written in the config, e.g. ``"120 tCO2e"``.
    year : int
        When the change took effect.
    reason : str
    """

    indicator: str
    amount: float
    amount_as_written: str
    year: int
    reason: str


@dataclass(frozen=True)
class Accounting:
    """Accounting choices.

    Parameters
    ----------
    electricity_method : str
        Electricity emission-factor method behind the emission target.
    gwp : str
        ``AR5`` or ``AR6``.
    target_scopes : tuple of int
        Scopes that make up "direct emissions" for the target.
    completeness_threshold_pct : float
        A main meter below this coverage [%] makes a year's figure incomplete
        (DESIGN §4).
    discount_rate_pct : float
        Discount rate [%] for a measure's cost per tCO2e (annuity over its
        lifetime, DESIGN §4).
    """

    electricity_method: str = "location"
    gwp: str = "AR5"
    target_scopes: tuple[int, ...] = (1, 2)
    completeness_threshold_pct: float = 99.0
    discount_rate_pct: float = 4.0


@dataclass(frozen=True)
class Config:
    """A project's configuration."""

    path: Path
    name: str
    baseline_year: int = 2019
    timezone: str = "Europe/Oslo"
    language: str = "nb"
    sites: tuple[Site, ...] = ()
    accounting: Accounting = Accounting()
    targets: dict[str, Target] = field(default_factory=dict)
    baseline_adjustments: tuple[BaselineAdjustment, ...] = ()

    @property
    def project_dir(self) -> Path:
        return self.path.parent

    @property
    def site_ids(self) -> list[str]:
        return [s.id for s in self.sites]

    def site(self, site_id: str) -> Site:
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)


_TOP_KEYS = {"organisation", "sites", "accounting", "baseline_adjustments", "targets"}
_ORG_KEYS = {"name", "baseline_year", "timezone", "language"}
_SITE_KEYS = {"id", "name", "area_m2", "hdd_normal", "heating_share", "opened", "closed"}
_ACC_KEYS = {"electricity_method", "gwp", "target_scopes", "completeness_threshold_pct",
             "discount_rate_pct"}
_ADJ_KEYS = {"indicator", "amount", "year", "reason"}
_TARGET_KEYS = {"year", "level"}


def _check_keys(table: dict, allowed: set[str], where: str, path: Path) -> None:
    for key in table:
        if key not in allowed:
            near = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean '{where}{near[0]}'?)" if near else ""
            raise ConfigError(
                f"unknown key '{where}{key}'{hint}", file=path, column=f"{where}{key}",
                expected="one of " + ", ".join(sorted(allowed)))


def _need(value, types, key: str, path: Path, what: str):
    # bool is an int in Python; a year given as `true` must still be refused
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise ConfigError(f"wrong type for '{key}'", file=path, column=key, found=value,
                          expected=what)
    if not isinstance(value, types):
        raise ConfigError(f"wrong type for '{key}'", file=path, column=key, found=value,
                          expected=what)
    return value


def _parse_level(value, key: str, path: Path) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*([-+−]?\d+(?:[.,]\d+)?)\s*%?\s*", value)
        if m:
            return float(m.group(1).replace("−", "-").replace(",", "."))
    raise ConfigError("wrong value", file=path, column=key, found=value,
                      expected="a number, e.g. -40 for a 40 % reduction or 75 for a 75 % share")


def load_config(project_dir: str | Path) -> Config:
    """Read ``klimaregnskap.toml`` of a project folder.

    Parameters
    ----------
    project_dir : str or Path
        The project folder.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        Missing file, TOML syntax error, unknown key, wrong type, unknown or
        duplicate site id, or an invalid value; the message names file and key.
    """
    path = Path(project_dir) / CONFIG_NAME
    if not path.is_file():
        raise ConfigError("no project configuration found", file=path,
                          expected=f"a {CONFIG_NAME} (create a project with 'klimaregnskap init DIR')")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text", file=path) from exc
    return parse_config(raw, path)


def parse_config(raw: dict, path: Path) -> Config:
    """Validate a parsed TOML document into a :class:`Config` (see :func:`load_config`)."""
    _check_keys(raw, _TOP_KEYS, "", path)
    org = _need(raw.get("organisation", {}), dict, "organisation", path, "a table")
    _check_keys(org, _ORG_KEYS, "organisation.", path)
    if "name" not in org:
        raise ConfigError("missing key 'organisation.name'", file=path,
                          column="organisation.name", expected="the organisation's name")
    name = _need(org["name"], str, "organisation.name", path, "text")
    baseline_year = _need(org.get("baseline_year", 2019), int, "organisation.baseline_year",
                          path, "a year such as 2019")
    tz = _need(org.get("timezone", "Europe/Oslo"), str, "organisation.timezone", path,
               "a time zone name such as Europe/Oslo")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError("unknown time zone", file=path, column="organisation.timezone",
                          found=tz, expected="an IANA name such as Europe/Oslo") from exc
    language = _need(org.get("language", "nb"), str, "organisation.language", path, "nb or en")
    if language not in ("nb", "en"):
        raise ConfigError("unknown language", file=path, column="organisation.language",
                          found=language, expected="nb or en")

    sites = _parse_sites(raw.get("sites", []), path)

    acc_raw = _need(raw.get("accounting", {}), dict, "accounting", path, "a table")
    _check_keys(acc_raw, _ACC_KEYS, "accounting.", path)
    method = _need(acc_raw.get("electricity_method", "location"), str,
                   "accounting.electricity_method", path, "a method name such as location")
    gwp = _need(acc_raw.get("gwp", "AR5"), str, "accounting.gwp", path, "AR5 or AR6").upper()
    if gwp not in ("AR5", "AR6"):
        raise ConfigError("unknown GWP set", file=path, column="accounting.gwp", found=gwp,
                          expected="AR5 or AR6")
    scopes = _need(acc_raw.get("target_scopes", [1, 2]), list, "accounting.target_scopes",
                   path, "a list of scopes such as [1, 2]")
    if not scopes or any(isinstance(s, bool) or s not in (1, 2, 3) for s in scopes):
        raise ConfigError("invalid scopes", file=path, column="accounting.target_scopes",
                          found=scopes, expected="a non-empty list of 1, 2 and 3")
    threshold = _number_in(acc_raw.get("completeness_threshold_pct", 99.0),
                           "accounting.completeness_threshold_pct", path, 0.0, 100.0,
                           "a percentage between 0 and 100, e.g. 99")
    discount = _number_in(acc_raw.get("discount_rate_pct", 4.0), "accounting.discount_rate_pct",
                          path, 0.0, 100.0, "a percentage between 0 and 100, e.g. 4")
    accounting = Accounting(method, gwp, tuple(sorted(set(scopes))), threshold, discount)

    targets = _parse_targets(raw.get("targets", {}), path)
    adjustments = _parse_adjustments(raw.get("baseline_adjustments", []), baseline_year, path)
    return Config(path=path, name=name, baseline_year=baseline_year, timezone=tz,
                  language=language, sites=tuple(sites), accounting=accounting,
                  targets=targets, baseline_adjustments=tuple(adjustments))


def _parse_sites(raw_sites, path: Path) -> list[Site]:
    _need(raw_sites, list, "sites", path, "a list of [[sites]] tables")
    sites: list[Site] = []
    seen: set[str] = set()
    for i, s in enumerate(raw_sites, start=1):
        where = f"sites[{i}]."
        _need(s, dict, f"sites[{i}]", path, "a [[sites]] table")
        _check_keys(s, _SITE_KEYS, where, path)
        if "id" not in s:
            raise ConfigError(f"missing key '{where}id'", file=path, column=f"{where}id",
                              expected="a site id")
        sid = _need(s["id"], str, f"{where}id", path, "text").strip()
        if not sid:
            raise ConfigError("empty site id", file=path, column=f"{where}id")
        if sid in seen:
            raise ConfigError("duplicate site id", file=path, column=f"{where}id", found=sid,
                              expected="each site id once")
        seen.add(sid)
        area_raw = s.get("area_m2", {})
        if isinstance(area_raw, (int, float)) and not isinstance(area_raw, bool):
            area = {0: float(area_raw)}
        else:
            _need(area_raw, dict, f"{where}area_m2", path,
                  "a number or a table of year = area, e.g. { 2019 = 87000 }")
            area = {}
            for k, v in area_raw.items():
                if not re.fullmatch(r"\d{4}", str(k)):
                    raise ConfigError("area year is not a year", file=path,
                                      column=f"{where}area_m2.{k}", found=k, expected="a year such as 2019")
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                    raise ConfigError("wrong area", file=path, column=f"{where}area_m2.{k}",
                                      found=v, expected="a positive number of m2")
                area[int(k)] = float(v)
        hdd = s.get("hdd_normal")
        if hdd is not None and (isinstance(hdd, bool) or not isinstance(hdd, (int, float)) or hdd <= 0):
            raise ConfigError("wrong value", file=path, column=f"{where}hdd_normal", found=hdd,
                              expected="a positive number of degree days")
        share = s.get("heating_share")
        if share is not None and (isinstance(share, bool) or not isinstance(share, (int, float))
                                  or not 0 <= share <= 1):
            raise ConfigError("wrong value", file=path, column=f"{where}heating_share",
                              found=share, expected="a number between 0 and 1")
        name = _need(s.get("name", sid), str, f"{where}name", path, "text")
        opened = _date(s.get("opened"), f"{where}opened", path)
        closed = _date(s.get("closed"), f"{where}closed", path)
        if opened and closed and closed < opened:
            raise ConfigError("site closes before it opens", file=path, column=f"{where}closed",
                              found=closed.isoformat(), expected=f"a date on or after {opened}")
        sites.append(Site(sid, name, area, float(hdd) if hdd is not None else None,
                          float(share) if share is not None else None, opened, closed))
    return sites


def _date(value, key: str, path: Path) -> dt.date | None:
    """A TOML date (``2024-04-30``) or the same written as text; None when absent."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError("wrong value", file=path, column=key, found=value,
                      expected="a date such as 2024-04-30")


def _number_in(value, key: str, path: Path, lo: float, hi: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ConfigError("wrong value", file=path, column=key, found=value, expected=what)
    return float(value)


def _parse_targets(raw_targets, path: Path) -> dict[str, Target]:
    _need(raw_targets, dict, "targets", path, "a table of [targets.<indicator>]")
    targets: dict[str, Target] = {}
    for ind, (kind, year, level) in DEFAULT_TARGETS.items():
        # an indicator without a shipped target (footprint) has one only when configured
        if year is not None:
            targets[ind] = Target(ind, kind, year, level)
    for ind, table in raw_targets.items():
        if ind not in DEFAULT_TARGETS:
            near = difflib.get_close_matches(str(ind), list(DEFAULT_TARGETS), n=1)
            hint = f" (did you mean 'targets.{near[0]}'?)" if near else ""
            raise ConfigError(f"unknown key 'targets.{ind}'{hint}", file=path,
                              column=f"targets.{ind}",
                              expected="one of " + ", ".join(DEFAULT_TARGETS))
        _need(table, dict, f"targets.{ind}", path, "a table with year and level")
        _check_keys(table, _TARGET_KEYS, f"targets.{ind}.", path)
        kind, shipped_year, shipped_level = DEFAULT_TARGETS[ind]
        if shipped_year is None:
            for key in ("year", "level"):
                if key not in table:
                    raise ConfigError(f"missing key 'targets.{ind}.{key}'", file=path,
                                      column=f"targets.{ind}.{key}",
                                      expected=f"{ind} has no shipped target: give its year "
                                               "and level")
        base = Target(ind, kind, shipped_year, shipped_level)
        year = _need(table.get("year", base.year), int, f"targets.{ind}.year", path, "a year")
        level = base.level
        if "level" in table:
            level = _parse_level(table["level"], f"targets.{ind}.level", path)
        targets[ind] = Target(ind, base.kind, year, level)
    # energy_normalised follows energy unless set on its own
    if "energy" in raw_targets and "energy_normalised" not in raw_targets:
        e = targets["energy"]
        targets["energy_normalised"] = Target("energy_normalised", e.kind, e.year, e.level)
    return targets


def _parse_adjustments(raw_adj, baseline_year: int, path: Path) -> list[BaselineAdjustment]:
    _need(raw_adj, list, "baseline_adjustments", path, "a list of [[baseline_adjustments]]")
    out = []
    for i, a in enumerate(raw_adj, start=1):
        where = f"baseline_adjustments[{i}]."
        _need(a, dict, f"baseline_adjustments[{i}]", path, "a table")
        _check_keys(a, _ADJ_KEYS, where, path)
        for key in ("indicator", "amount", "year"):
            if key not in a:
                raise ConfigError(f"missing key '{where}{key}'", file=path, column=f"{where}{key}")
        ind = _need(a["indicator"], str, f"{where}indicator", path, "emissions, energy or food_waste")
        if ind not in ADJUSTABLE_INDICATORS:
            raise ConfigError("unknown indicator", file=path, column=f"{where}indicator",
                              found=ind, expected="emissions, energy or food_waste")
        amount_raw = a["amount"]
        unit = INDICATOR_UNITS[ind]
        if isinstance(amount_raw, str):
            try:
                # deferred on purpose: pint costs ~0.3 s, and `load` and `status` run
                # without it unless a baseline adjustment needs a unit conversion
                from klimaregnskap.units import conversion_factor, parse_quantity

                number, written_unit = parse_quantity(amount_raw)
                amount = number * conversion_factor(written_unit, unit)
            except (ValueError, UnitError) as exc:
                raise ConfigError("amount does not convert", file=path, column=f"{where}amount",
                                  found=amount_raw, expected=f"a quantity that converts to {unit}, "
                                  f"e.g. \"120 {unit}\"") from exc
        else:
            raise ConfigError("amount needs a unit", file=path, column=f"{where}amount",
                              found=amount_raw, expected=f"a quantity with a unit, e.g. \"120 {unit}\"")
        year = _need(a["year"], int, f"{where}year", path, "a year")
        if year <= baseline_year:
            raise ConfigError("adjustment year must be after the baseline year", file=path,
                              column=f"{where}year", found=year, expected=f"a year after {baseline_year}")
        reason = _need(a.get("reason", ""), str, f"{where}reason", path, "text")
        out.append(BaselineAdjustment(ind, float(amount), amount_raw, year, reason))
    return out
