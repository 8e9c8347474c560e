"""The status cache: keyed by everything the accounts are a function of, never stale."""

from __future__ import annotations

import json

from klimaregnskap import state


def _value(cli, proj, lang="en"):
    r = cli("status", "--project", proj, "--year", "2021", "--lang", lang)
    assert r.exit_code == 0, r.output
    return r.output


def test_status_reads_the_cache_and_recomputes_when_anything_changes(cli, worked):
    first = _value(cli, worked)
    cached = list((worked / state.CACHE_DIR).glob("status-2021.json"))
    assert len(cached) == 1
    key = json.loads(cached[0].read_text())["key"]
    # the same state: the same key, the same output
    assert _value(cli, worked) == first
    assert json.loads(cached[0].read_text())["key"] == key
    # an input changes: another key, another figure (fuel oil 2021: 0.2 m3 -> 0.4 m3)
    act = next(p for p in (worked / "inputs").iterdir() if "activ" in p.name)
    act.write_text(act.read_text().replace("0.2,m3", "0.4,m3"))
    changed = _value(cli, worked)
    assert changed != first
    assert json.loads(cached[0].read_text())["key"] != key
    # the config changes (another target year): another key
    cfg = worked / "klimaregnskap.toml"
    cfg.write_text(cfg.read_text() + "\n[targets.emissions]\nyear = 2035\n")
    assert "(2035)" in _value(cli, worked)


def test_a_tampered_cache_is_recomputed(cli, worked):
    first = _value(cli, worked)
    p = worked / state.CACHE_DIR / "status-2021.json"
    data = json.loads(p.read_text())
    data["key"] = "0" * 64
    data["indicators"]["emissions"]["value"] = 123456789.0
    p.write_text(json.dumps(data))
    assert _value(cli, worked) == first


def test_key_covers_code_config_factors_imports_and_year(worked):
    cfg = worked / "klimaregnskap.toml"
    imports = [(1, "inputs/a.csv", "ab" * 32, "activity")]
    k = state.accounts_key(worked, cfg, imports, 2021)
    assert k == state.accounts_key(worked, cfg, imports, 2021)
    assert k != state.accounts_key(worked, cfg, imports, 2022)
    assert k != state.accounts_key(worked, cfg, imports + [(2, "inputs/b.csv", "cd" * 32, "x")], 2021)
    (worked / "factors" / "extra.csv").write_text("activity,year,value,unit,scope,method,source\n")
    assert k != state.accounts_key(worked, cfg, imports, 2021)
