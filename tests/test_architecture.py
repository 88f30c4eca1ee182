"""The layers hold: no import circle, the library never imports the command line or the
dashboard, no module over 800 lines, few imports inside functions (docs/ARCHITECTURE.md).

The import graph is read from the source with ``ast`` (nothing is imported): an edge
``a -> b`` for every module-level ``import`` of a module of ``sim`` (``if TYPE_CHECKING:``
blocks left out); ``from sim.x import y`` counts as an import of ``sim.x.y`` when that is
a module, else of ``sim.x``. Importing ``sim.a.b`` runs the package ``sim.a`` first, so it
counts as an import of ``sim.a`` too, unless the importer sits inside ``sim.a`` itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sim.errors import UserError
from sim.inputs import check_int, check_name
from sim.scenarios import load_scenario
from sim.sweeps.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SIM = ROOT / "sim"

#: The most lines a module may have.
MAX_LINES = 800
#: Modules still over MAX_LINES; the list only shrinks (issue 14).
OVER_LIMIT: set[str] = set()
#: The most imports inside functions in the whole of sim/ (7 today: the optional extras
#: solara and ipywidgets, and matplotlib in sim/io.py).
MAX_FUNCTION_IMPORTS = 20
#: Top-level packages only the outermost layer may import.
OUTERMOST = ("sim.cli", "sim.dashboard")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SIM.rglob("*.py"))}


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported (not in functions or TYPE_CHECKING)."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.append(node)
            elif isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)
            elif isinstance(node, ast.With):
                visit(node.body)

    visit(tree.body)
    return found


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The modules of sim an import statement loads."""
    names: set[str] = set()
    if isinstance(node, ast.Import):
        names = {a.name for a in node.names}
    else:
        if node.level:  # relative import
            package = module.split(".")
            if module not in MODULES or MODULES[module].name != "__init__.py":
                package = package[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([node.module] if node.module else [])])
        else:
            base = node.module or ""
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            names.add(sub if sub in MODULES else base)
    out = set()
    for name in names:
        if not (name == "sim" or name.startswith("sim.")):
            continue
        parts = name.split(".")
        for i in range(2, len(parts) + 1):  # the packages run first, then the module
            prefix = ".".join(parts[:i])
            inside = module == prefix or module.startswith(prefix + ".")
            if prefix in MODULES and (prefix == name or not inside):
                out.add(prefix)
    out.discard(module)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = set().union(*(_targets(name, n) for n in _top_level_imports(tree)))
    return graph


GRAPH = _graph()


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as a list of modules, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _imports_in_functions(tree: ast.AST) -> int:
    """How many import statements sit inside a function (at any depth)."""

    def visit(node: ast.AST, in_function: bool) -> int:
        n = 0
        for child in ast.iter_child_nodes(node):
            n += in_function and isinstance(child, ast.Import | ast.ImportFrom)
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            n += visit(child, inner)
        return n

    return visit(tree, False)


def _function_imports() -> dict[str, int]:
    counts = {}
    for name, path in MODULES.items():
        n = _imports_in_functions(ast.parse(path.read_text(encoding="utf-8")))
        if n:
            counts[name] = n
    return counts


# ----------------------------------------------------------------------------- the tests
def test_the_graph_is_read():
    assert "sim.io" in GRAPH["sim.sweeps.store"]  # from sim import io
    assert "sim.experiment.run" in GRAPH["sim.runner"]
    assert "sim.calibration.posterior" in GRAPH["sim.experiment.uncertainty"]
    # the package runs before its module
    assert "sim.calibration" in GRAPH["sim.experiment.uncertainty"]


def test_no_import_circle():
    assert _cycle(GRAPH) is None, " -> ".join(_cycle(GRAPH) or [])


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_library_never_imports_the_command_line_or_the_dashboard():
    bad = []
    for name, path in MODULES.items():
        if name.startswith(OUTERMOST) or name == "sim.__main__":  # the entry point is the CLI
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):  # inside functions too
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(name, node) | (
                    {node.module} if isinstance(node, ast.ImportFrom) and node.module else set()
                ):
                    if target.startswith(OUTERMOST):
                        bad.append(f"{name} imports {target} (line {node.lineno})")
    assert not bad, "; ".join(bad)


def test_no_module_over_800_lines():
    sizes = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in MODULES.items()}
    over = {n: s for n, s in sizes.items() if s > MAX_LINES}
    assert set(over) <= OVER_LIMIT, f"over {MAX_LINES} lines: {over}"
    fixed = OVER_LIMIT - set(over)
    assert not fixed, f"no longer over {MAX_LINES} lines, drop from OVER_LIMIT: {fixed}"


def test_few_imports_inside_functions_each_with_its_reason():
    counts = _function_imports()
    total = sum(counts.values())
    listing = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    assert total <= MAX_FUNCTION_IMPORTS, f"{total} imports inside functions: {listing}"
    silent = [
        f"{name} line {line}"
        for name, path in MODULES.items()
        for line in _unexplained_function_imports(path)
    ]
    assert not silent, f"imports inside functions without a comment saying why: {silent}"


def _unexplained_function_imports(path: Path) -> list[int]:
    """Lines of imports inside functions with no comment on their line or the two above."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                near = lines[max(child.lineno - 3, 0) : child.lineno]
                if "#" not in near[-1] and not any(x.strip().startswith("#") for x in near):
                    out.append(child.lineno)
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inner)

    visit(ast.parse("\n".join(lines)), False)
    return out


def test_the_import_counter():
    code = "import a\ndef f():\n    import b\n    def g():\n        from c import d\n"
    assert _imports_in_functions(ast.parse(code)) == 2


# ----------------------------------------------------------------------------- one vocabulary
@pytest.mark.parametrize("name", ["café", "a b", "-lead", ".hidden", "x/y"])
def test_names_are_refused_alike_for_scenarios_and_sweeps(tmp_path, name):
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'name = "{name}"\n', encoding="utf-8")
    with pytest.raises(UserError, match="is not allowed: use letters, digits"):
        load_scenario(scenario)
    with pytest.raises(UserError, match="is not allowed: use letters, digits"):
        load_spec({"name": name, "vary": {"touchpoints": [0.1, 0.2]}})
    with pytest.raises(UserError, match="is not allowed: use letters, digits"):
        check_name("sweep", name)


@pytest.mark.parametrize("name", ["levers", "my_sweep-2.v1", "2025"])
def test_good_names_pass_both(name):
    assert check_name("scenario", name) == name
    assert load_spec({"name": name, "vary": {"touchpoints": [0.1, 0.2]}}).name == name


def test_counts_read_one_way():
    assert check_int("seeds", 3, (1, 1000)) == 3
    with pytest.raises(UserError, match=r"^seeds=0 is out of range: allowed 1 to 1000$"):
        check_int("seeds", 0, (1, 1000))
    with pytest.raises(UserError, match=r"^weeks=2\.5 has the wrong type: expected an integer"):
        check_int("weeks", 2.5, (1, 1040))
    with pytest.raises(UserError, match=r"^f\.toml: 'weeks' has the wrong type: .*got boolean"):
        check_int("weeks", True, (1, 1040), where="f.toml")
    with pytest.raises(UserError, match=r"^k=0 is out of range: allowed 1 or more$"):
        check_int("k", 0, (1, None))


def test_an_import_inside_a_function_needs_a_comment(tmp_path):
    f = tmp_path / "m.py"
    f.write_text(
        "def f():\n    import a\n\n\ndef g():\n    # lazy: optional\n    import b\n"
        "\n\ndef h():\n    import c  # lazy: optional\n",
        encoding="utf-8",
    )
    assert _unexplained_function_imports(f) == [2]


#: Modules the model's code imports whose code does not decide a run's numbers: errors and
#: hints (messages), inputs and scenarios (reading and checking settings, recorded apart),
#: the parameters' definitions (their values are recorded apart), a sweep's spec and the
#: priors (their ranges are part of a sweep's or a calibration's identity), and the packages
#: whose ``__init__`` only loads names on first use.
NOT_NUMBERS = {
    "sim.errors",
    "sim.hints",
    "sim.inputs",
    "sim.scenarios",
    "sim.model_params",
    "sim.sweeps.spec",
    "sim.calibration.priors",
    "sim.calibration",
    "sim.experiment",
}


def test_every_module_a_run_reads_is_fingerprinted():
    """A module the model's code imports can change its numbers, so the fingerprint reads it.

    Stored runs resume only under the same :func:`sim.provenance.code_fingerprint`; a module
    reached from :data:`sim.provenance.CODE_MODULES` by imports that is neither among them
    nor in :data:`NOT_NUMBERS` would let stored numbers mix with a changed model's.
    """
    from sim.provenance import CODE_MODULES

    fingerprinted = {"sim." + rel.removesuffix(".py").replace("/", ".") for rel in CODE_MODULES}
    seen: set[str] = set()
    todo = sorted(fingerprinted)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += sorted(GRAPH.get(name, ()))
    assert seen - fingerprinted - NOT_NUMBERS == set()
