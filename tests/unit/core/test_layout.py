"""The layout rules: the pure core imports no connector, agent, stream or network code, and
newsmon's modules import each other without cycles (function-level imports count)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUTSIDE_CORE = ("connectors", "agents", "streams", "cli", "broker", "demo", "__main__")
# known and left for now: the backtest reads its JSON-lines file with the replay connector's parser
# (newsmon/replay.py is being reworked for issue 14 points 7-9)
ALLOWED = {("newsmon.replay", "newsmon.connectors.replay")}


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, module: str) -> set[str]:
    found: set[str] = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("newsmon")}


def _graph() -> dict[str, set[str]]:
    files = [p for p in (ROOT / "newsmon").rglob("*.py") if not p.is_symlink() and not any(
        part in ("agents", "connectors", "streams") for part in p.relative_to(ROOT).parts)]
    files += [p for name in ("agents", "connectors", "streams") for p in (ROOT / name).rglob("*.py")]
    modules = {}
    for path in files:
        name = _module(path) if path.is_relative_to(ROOT / "newsmon") else "newsmon." + _module(path)
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path, name) if m in modules and m != name}
    return graph


def test_core_modules_import_no_connector_agent_or_stream_code() -> None:
    graph = _graph()
    core = [m for m in graph if m.count(".") >= 1 and m.split(".")[1] not in OUTSIDE_CORE]
    bad = {m: sorted(d for d in graph[m] if d.split(".")[1] in ("connectors", "agents", "streams", "cli")
                     and (m, d) not in ALLOWED)
           for m in core}
    assert {m: d for m, d in bad.items() if d} == {}


def test_no_import_cycles() -> None:
    graph = _graph()
    # a module importing its own package's __init__ (or the reverse) is how packages work, not a cycle
    edges = {m: {d for d in deps if not m.startswith(d + ".") and not d.startswith(m + ".")}
             for m, deps in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(edges.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep):], dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_loading_the_configuration_loads_no_network_or_framework_code() -> None:
    code = ("import sys; import newsmon.config, newsmon.rules, newsmon.replay, newsmon.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('faust', 'aiokafka', 'httpx', 'mode') "
            "or m.startswith(('newsmon.connectors', 'newsmon.agents', 'newsmon.streams'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
