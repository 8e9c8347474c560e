"""A region: ``region.toml`` and its members' accounts on the region's basis (DESIGN §6a).

A region adds up its trusts. Each member is computed through the one
pipeline (:func:`klimaregnskap.pipeline.build_accounts`) with the region's
electricity method, GWP set, target scopes and targets, and its own factor
files and baseline adjustments; :func:`klimaregnskap.pipeline.combine_members`
adds the members' accounts up. This module reads ``region.toml``, checks the
members and opens their ledgers; it applies no accounting rule.

Members' ledgers are opened read-only (DuckDB ``read_only=True``) and nothing
in a member's folder is written: a member whose ``inputs/`` changed since its
ledger last followed them is an error that says to run ``klimaregnskap check``
in its folder, and so is a member whose baseline year differs from the
region's or which lacks a year's data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import duckdb

from klimaregnskap import importing, ledger
from klimaregnskap.config import (CONFIG_NAME, Accounting, Config, Site, Target, _check_keys,
                                  _need, _parse_targets, load_config)
from klimaregnskap.errors import ConfigError, KlimaError
from klimaregnskap.warning import year_ranges

__all__ = ["REGION_NAME", "Member", "Region", "load_region", "member_config", "open_member",
           "is_region", "MemberData", "read_members", "region_config", "region_accounts"]

REGION_NAME = "region.toml"

_TOP_KEYS = {"region", "members", "targets"}
_REGION_KEYS = {"name", "baseline_year", "electricity_method", "gwp", "target_scopes", "language"}
_MEMBER_KEYS = {"id", "name", "project"}


@dataclass(frozen=True)
class Member:
    """A member trust of a region.

    Parameters
    ----------
    id : str
        The member's id in the region (``member=ID`` in the export).
    name : str
        Display name.
    project : pathlib.Path
        The member's project folder (resolved against ``region.toml``'s folder).
    """

    id: str
    name: str
    project: Path


@dataclass(frozen=True)
class Region:
    """A region's configuration (``region.toml``).

    Parameters
    ----------
    path : pathlib.Path
        ``region.toml``.
    name : str
    baseline_year : int
    language : str
        Report language, ``nb`` or ``en`` (default ``nb``, as for a trust).
    accounting : Accounting
        The region's basis: electricity method, GWP set and target scopes
        (the other fields keep their defaults; members keep their own
        completeness threshold and discount rate).
    targets : dict of str to Target
        The shipped targets with the region's ``[targets.<indicator>]`` overrides.
    members : tuple of Member
    """

    path: Path
    name: str
    baseline_year: int
    language: str
    accounting: Accounting
    targets: dict[str, Target] = field(default_factory=dict)
    members: tuple[Member, ...] = ()

    @property
    def folder(self) -> Path:
        return self.path.parent


def is_region(folder: str | Path) -> bool:
    """Whether ``folder`` is a region folder (holds a ``region.toml``)."""
    return (Path(folder) / REGION_NAME).is_file()


def load_region(folder: str | Path) -> Region:
    """Read and check ``region.toml`` of a region folder.

    Raises
    ------
    ConfigError
        Missing file, TOML syntax, an unknown key, a wrong type, a duplicate
        member id, a member folder without a ``klimaregnskap.toml``; the
        message names the file and the key.
    """
    path = Path(folder) / REGION_NAME
    if not path.is_file():
        raise ConfigError("no region configuration found", file=path,
                          expected=f"a {REGION_NAME} with [region] and [[members]] (DESIGN §6a)")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=path) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("not UTF-8 text", file=path) from exc
    _check_keys(raw, _TOP_KEYS, "", path)
    reg = _need(raw.get("region", {}), dict, "region", path, "a [region] table")
    _check_keys(reg, _REGION_KEYS, "region.", path)
    if "name" not in reg:
        raise ConfigError("missing key 'region.name'", file=path, column="region.name",
                          expected="the region's name")
    name = _need(reg["name"], str, "region.name", path, "text")
    baseline = _need(reg.get("baseline_year", 2019), int, "region.baseline_year", path,
                     "a year such as 2019")
    language = _need(reg.get("language", "nb"), str, "region.language", path, "nb or en")
    if language not in ("nb", "en"):
        raise ConfigError("unknown language", file=path, column="region.language",
                          found=language, expected="nb or en")
    method = _need(reg.get("electricity_method", "location"), str, "region.electricity_method",
                   path, "a method name such as european_mix")
    gwp = _need(reg.get("gwp", "AR5"), str, "region.gwp", path, "AR5 or AR6").upper()
    if gwp not in ("AR5", "AR6"):
        raise ConfigError("unknown GWP set", file=path, column="region.gwp", found=gwp,
                          expected="AR5 or AR6")
    scopes = _need(reg.get("target_scopes", [1, 2]), list, "region.target_scopes", path,
                   "a list of scopes such as [1, 2]")
    if not scopes or any(isinstance(s, bool) or s not in (1, 2, 3) for s in scopes):
        raise ConfigError("invalid scopes", file=path, column="region.target_scopes",
                          found=scopes, expected="a non-empty list of 1, 2 and 3")
    accounting = Accounting(method, gwp, tuple(sorted(set(scopes))))
    targets = _parse_targets(raw.get("targets", {}), path)
    members = _parse_members(raw.get("members", []), path)
    return Region(path=path, name=name, baseline_year=baseline, language=language,
                  accounting=accounting, targets=targets, members=tuple(members))


def _parse_members(raw, path: Path) -> list[Member]:
    _need(raw, list, "members", path, "a list of [[members]] tables")
    if not raw:
        raise ConfigError("no members", file=path, column="members",
                          expected="at least one [[members]] table with id, name and project")
    out: list[Member] = []
    seen: set[str] = set()
    for i, m in enumerate(raw, start=1):
        where = f"members[{i}]."
        _need(m, dict, f"members[{i}]", path, "a [[members]] table")
        _check_keys(m, _MEMBER_KEYS, where, path)
        for key in ("id", "project"):
            if key not in m:
                raise ConfigError(f"missing key '{where}{key}'", file=path, column=f"{where}{key}",
                                  expected="the member's id" if key == "id"
                                  else "the member's project folder, relative to region.toml")
        mid = _need(m["id"], str, f"{where}id", path, "text").strip()
        # the id names a Hive partition (member=ID/) and a folder: keep it plain
        if not mid or any(c in mid for c in "/\\=:") or mid.startswith("."):
            raise ConfigError("unusable member id", file=path, column=f"{where}id", found=mid,
                              expected="letters, digits, '-' or '_' (it names a folder "
                                       "member=ID/ in the export)")
        if mid in seen:
            raise ConfigError("duplicate member id", file=path, column=f"{where}id", found=mid,
                              expected="each member id once")
        seen.add(mid)
        project = _need(m["project"], str, f"{where}project", path, "a folder path")
        folder = (path.parent / project)
        if not (folder / CONFIG_NAME).is_file():
            raise ConfigError(f"member '{mid}': no {CONFIG_NAME} in {folder}", file=path,
                              column=f"{where}project", found=project,
                              expected="the member's project folder (holding its "
                                       f"{CONFIG_NAME}), relative to {REGION_NAME}")
        name = _need(m.get("name", mid), str, f"{where}name", path, "text")
        out.append(Member(mid, name, folder))
    return out


def member_config(region: Region, member: Member) -> Config:
    """The member's own configuration on the region's basis (DESIGN §6a).

    The member keeps its sites, time zone, baseline adjustments, completeness
    threshold and discount rate; the region's electricity method, GWP set,
    target scopes and targets replace the member's, so that every member's
    statuses are read against the same goals as the region's.

    Raises
    ------
    KlimaError
        The member's baseline year differs from the region's.
    ConfigError
        The member's own ``klimaregnskap.toml`` has an error.
    """
    cfg = load_config(member.project)
    if cfg.baseline_year != region.baseline_year:
        raise KlimaError(
            f"{region.path}: member '{member.id}' ({member.name}) has baseline year "
            f"{cfg.baseline_year} in {cfg.path}, the region has {region.baseline_year}; "
            "a region adds up figures against one baseline year, so every member needs "
            f"baseline_year = {region.baseline_year}")
    acc = dataclasses.replace(cfg.accounting,
                              electricity_method=region.accounting.electricity_method,
                              gwp=region.accounting.gwp,
                              target_scopes=region.accounting.target_scopes)
    return dataclasses.replace(cfg, accounting=acc, targets=dict(region.targets))


def open_member(region: Region, member: Member):
    """The member's ledger, opened read-only, after checking it follows ``inputs/``.

    Raises
    ------
    KlimaError
        No ledger yet, or ``inputs/`` changed since the ledger last followed
        them: the message names the member and says to run ``klimaregnskap
        check`` in its folder.
    """
    where = f"member '{member.id}' ({member.name}, {member.project})"
    if not ledger.ledger_path(member.project).is_file():
        raise KlimaError(f"{region.path}: {where} has no ledger yet; run 'klimaregnskap check' "
                         f"in {member.project} first (a region reads its members' ledgers and "
                         "never writes them)")
    try:
        con = ledger.connect(member.project, read_only=True)
    except duckdb.Error as exc:
        # another process holds the ledger for writing (a 'check' or 'report' running there)
        raise KlimaError(f"{region.path}: {where}: its ledger cannot be read now ({exc}); "
                         "wait for the command running in its folder to finish and try "
                         "again") from exc
    diff = importing.inputs_changed(con, member.project)
    if any(diff.values()):
        con.close()
        parts = [f"{k}: {', '.join(v[:3])}{' …' if len(v) > 3 else ''}"
                 for k, v in diff.items() if v]
        raise KlimaError(f"{region.path}: {where}: inputs/ changed since its ledger last "
                         f"followed them ({'; '.join(parts)}); run 'klimaregnskap check' in "
                         f"{member.project} and then the region command again")
    return con


@dataclass
class MemberData:
    """One member opened for a region: its configuration on the region's basis, its
    factor library and its read-only ledger."""

    member: Member
    config: Config
    lib: object
    con: object


def read_members(region: Region, year: int | None = None) -> tuple[list[MemberData], int]:
    """Open every member, check them, and settle the report year.

    Parameters
    ----------
    region : Region
    year : int, optional
        The report year; default: the latest year every member has data for
        (and not the current year, as for a trust).

    Returns
    -------
    list of MemberData, int
        The members in ``region.toml``'s order, and the report year.

    Raises
    ------
    KlimaError
        A member with another baseline year, a stale or missing ledger, or
        without data for a year from the baseline year to the report year.
    """
    # deferred on purpose: the factor library brings pandas and pint
    from klimaregnskap.calc import factors as fl

    opened: list[MemberData] = []
    try:
        for m in region.members:
            cfg = member_config(region, m)
            con = open_member(region, m)
            opened.append(MemberData(m, cfg, None, con))
        if year is None:
            last = dt.date.today().year - 1
            ends = [ledger.last_data_year(d.con) for d in opened]
            year = min([last] + [e for e in ends if e is not None])
        if year < region.baseline_year:
            raise KlimaError(f"--year: {year} is before the region's baseline year "
                             f"{region.baseline_year}")
        want = list(range(region.baseline_year, year + 1))
        for d in opened:
            have = set(ledger.data_years(d.con))
            missing = [y for y in want if y not in have]
            if missing:
                raise KlimaError(
                    f"{region.path}: member '{d.member.id}' ({d.member.name}) has no data for "
                    f"{year_ranges(missing)}; the region's accounts of {year} need every member's "
                    f"years {region.baseline_year}-{year} (add its data in {d.member.project}"
                    "/inputs and run 'klimaregnskap check' there, or choose another --year)")
            # a region command never writes a member, not even its parse cache
            d.lib = fl.load_library(d.member.project, keep=False)
    except BaseException:
        for d in opened:
            d.con.close()
        raise
    return opened, year



def region_config(region: Region, members: list[MemberData], year: int) -> Config:
    """The region as a :class:`Config` for the pipeline's region stage and the outputs.

    One site per member (id and name of the member), whose heated area in a
    year is the sum of the member's sites' areas when every one of them has
    an area that year (as a trust's own area, DESIGN §4), else none. The
    baseline adjustments are the members' (for the record: the pipeline's
    region stage adds up the members' restated series and applies none).
    """
    sites = []
    for d in members:
        area = {}
        for y in range(region.baseline_year, year + 1):
            a = [s.area_for(y) for s in d.config.sites]
            if a and all(v is not None for v in a):
                area[y] = float(sum(a))
        sites.append(Site(d.member.id, d.member.name, area))
    # the members' own baseline adjustments, each named by its member: they are already
    # in the members' restated series the region adds up (listed, never applied again)
    adjustments = tuple(dataclasses.replace(a, reason=f"{d.member.name} ({d.member.id}): "
                                                      f"{a.reason}")
                        for d in members for a in d.config.baseline_adjustments)
    return Config(path=region.path, name=region.name, baseline_year=region.baseline_year,
                  timezone=members[0].config.timezone if members else "Europe/Oslo",
                  language=region.language, sites=tuple(sites), accounting=region.accounting,
                  targets=dict(region.targets), baseline_adjustments=adjustments)


def region_accounts(region: Region, year: int | None = None):
    """Build every member's accounts on the region's basis and add them up (DESIGN §6a).

    Parameters
    ----------
    region : Region
    year : int, optional
        The report year (default: see :func:`read_members`).

    Returns
    -------
    Accounts, list of (str, str, Accounts)
        The region's accounts, and per member its id, name and accounts.
    """
    # deferred on purpose: the pipeline brings pandas and the calc stack
    from klimaregnskap.pipeline import build_accounts, combine_members

    datas, year = read_members(region, year)
    try:
        accs = [(d.member.id, d.member.name, build_accounts(d.con, d.config, d.lib, year))
                for d in datas]
    finally:
        for d in datas:
            d.con.close()
    h = hashlib.sha256()
    for mid, _name, a in accs:
        h.update(f"{mid}={a.lib.sha256};".encode())
    # the region's library: its provenance (every member's), and the first member's
    # tables for names (activity names in the report; the vocabulary is the same)
    lib = SimpleNamespace(sha256=h.hexdigest(), tables=accs[0][2].lib.tables)
    return combine_members(accs, region_config(region, datas, year), lib, year), accs
