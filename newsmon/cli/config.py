"""`newsmon config check|default`, and which file the settings come from."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from newsmon.config import load
from newsmon.settings import Settings

COMMANDS = ("config",)


def add_arguments(subparsers: Any) -> None:
    cfg = subparsers.add_parser("config", help="validate or print configuration")
    cfg.add_argument("action", choices=("check", "default"))


def default_config_path() -> Path | None:
    """NEWSMON_CONFIG, else ./newsmon.toml, else None (the packaged default)."""
    if os.environ.get("NEWSMON_CONFIG"):
        return Path(os.environ["NEWSMON_CONFIG"])
    local = Path("newsmon.toml")
    return local if local.exists() else None


def default_text() -> str:
    return resources.files("newsmon").joinpath("default.toml").read_text(encoding="utf-8")


def load_settings(path: str | None) -> Settings:
    """The one `Settings` of this run: --config, else NEWSMON_CONFIG, ./newsmon.toml, the packaged default."""
    chosen = Path(path) if path else default_config_path()
    if chosen is None:
        with resources.as_file(resources.files("newsmon").joinpath("default.toml")) as packaged:
            return load(packaged)
    return load(chosen)


def check(settings: Settings, out: TextIO) -> int:
    """``config check``: the settings loaded (every key and value checked), so say what they hold."""
    out.write(f"ok: {len(settings.sources)} sources, {len(settings.rules)} rules, "
              f"{len(settings.channels)} channels; kafka {settings.bootstrap}"
              f"{' (embedded)' if settings.embedded else ''}\n")
    return 0
