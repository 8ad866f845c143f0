"""The package's shape, read from its own source: no import cycle between its subpackages
(every import counts, those inside functions too), and ``import crampcheck.knowledge`` stays
light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "crampcheck"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}

# Imports that would close a cycle and are tolerated while they are being removed. Each must
# still exist (test_the_known_cycle_edges_still_exist): delete its line here once it is gone.
# Empty: report -> journal (report/views.py reads journal windows to render them) is one
# direction only, since the journal imports neither report nor web nor cli
# (test_the_journal_imports_no_layer_above_it).
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def _imported(name: str, path: Path) -> set[str]:
    """The crampcheck modules that the module ``name`` at ``path`` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:  # `from pkg import submodule` imports the submodule
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return {m for m in found if m == "crampcheck" or m.startswith("crampcheck.")}


def _unit(module: str) -> str:
    """The subpackage (or top-level module) a module belongs to: crampcheck.journal.store ->
    journal, crampcheck.case -> case, crampcheck -> crampcheck."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> unit it imports -> the ``module -> module`` imports behind that edge."""
    graph: dict[str, dict[str, list[str]]] = {_unit(m): {} for m in MODULES}
    for name, path in MODULES.items():
        for target in _imported(name, path):
            a, b = _unit(name), _unit(target)
            if a != b:
                graph[a].setdefault(b, []).append(f"{name} -> {target}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_import_reader_sees_function_level_and_relative_imports() -> None:
    core = _imported("crampcheck.cli.core", MODULES["crampcheck.cli.core"])
    # `from ..plan import plan_for_assessment` inside plan_cmd; `from .. import knowledge`
    assert {"crampcheck.plan", "crampcheck.knowledge", "crampcheck.cli.common"} <= core
    graph = package_graph()
    assert "journal" in graph["cli"] and "cli" not in graph["journal"]


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_between_subpackages() -> None:
    graph = package_graph()
    for a, b in KNOWN_CYCLE_EDGES:
        graph[a].pop(b, None)
    found = cycles(graph)
    detail = [f"{a} -> {b}: {graph[a][b][:3]}" for c in found for a in c for b in c
              if b in graph[a]]
    assert not found, "import cycles between subpackages:\n" + "\n".join(detail)


def test_the_known_cycle_edges_still_exist() -> None:
    graph = package_graph()
    gone = sorted(edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph[edge[0]])
    assert not gone, f"no longer imported, remove from KNOWN_CYCLE_EDGES: {gone}"


def test_the_journal_imports_no_layer_above_it() -> None:
    graph = package_graph()
    assert "journal" in graph["report"]  # the report renders journal data ...
    for above in ("report", "web", "cli", "plan", "assess"):  # ... never the other way round
        assert above not in graph["journal"], graph["journal"][above][:3]


def test_knowledge_loads_neither_numpy_nor_rapidfuzz() -> None:
    code = ("import json, sys; import crampcheck.knowledge; "
            "print(json.dumps(sorted(m for m in ('numpy', 'rapidfuzz', 'scipy', 'typer', "
            "'fastapi', 'crampcheck.totals') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)}, check=True)
    assert json.loads(out.stdout) == []
    # and the public names of the top-level package are still there, loaded on first use
    code = ("import sys, crampcheck; assert 'crampcheck.totals' not in sys.modules; "
            "from crampcheck import NutrientReport, nutrients; "
            "assert 'crampcheck.totals' in sys.modules and callable(nutrients); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC)})
    assert out.stdout.strip() == "ok", out.stderr
