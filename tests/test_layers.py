"""The package layout is the architecture: each layer imports only the layers below it.

    document → domain → (store | formats | designer) → api → (cli | web)

Imports are read from the source (module level and inside functions alike), so a lazy
import cannot hide an upward arrow or a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("journeys", "designer")

# Layer of a module (longest prefix wins) → the layers it may import from.
LAYERS = {
    "journeys.domain": {"journeys.domain"},
    "journeys.config": set(),
    "designer": {"designer", "journeys.domain"},
    "journeys.formats": {"journeys.formats", "journeys.domain", "journeys.config"},
    "journeys.store": {"journeys.store", "journeys.domain", "journeys.config"},
    "journeys.api": {"journeys.api", "journeys.store", "journeys.formats", "designer",
                     "journeys.domain", "journeys.config"},
    "journeys.web": {"journeys.web", "journeys.api", "journeys.store", "journeys.formats",
                     "designer", "journeys.domain", "journeys.config"},
    "journeys.cli": {"journeys.cli", "journeys.web", "journeys.api", "journeys.store",
                     "journeys.formats", "designer", "journeys.domain", "journeys.config"},
}
# Frameworks each layer must not load: the domain and the pure layers stay plain Python.
FORBIDDEN = {
    "journeys.domain": {"flask", "sqlalchemy", "sqlmodel", "alembic", "psycopg", "click"},
    "designer": {"flask", "sqlalchemy", "sqlmodel", "alembic", "psycopg", "click",
                 "marshmallow"},
    "journeys.formats": {"flask", "sqlalchemy", "sqlmodel", "alembic", "psycopg", "click"},
    "journeys.store": {"flask", "click"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")
            if "versions" not in p.parts}


def imports(path: Path, name: str) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return found


def layer_of(name: str) -> str | None:
    matches = [layer for layer in LAYERS if name == layer or name.startswith(layer + ".")]
    return max(matches, key=len) if matches else None


MODULES = modules()


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n)))
def test_a_module_imports_only_the_layers_below_it(name):
    layer = layer_of(name)
    allowed = LAYERS[layer] | {layer}
    wrong = sorted(
        f"{target} ({layer_of(target)})" for target in imports(MODULES[name], name)
        if layer_of(target) and layer_of(target) not in allowed
    )
    assert not wrong, f"{name} is in {layer} and imports a layer above or beside it: {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer_of(n) in FORBIDDEN))
def test_pure_layers_do_not_load_frameworks(name):
    forbidden = FORBIDDEN[layer_of(name)]
    loaded = sorted(t for t in imports(MODULES[name], name) if t.split(".")[0] in forbidden)
    assert not loaded, f"{name} must not import {loaded}"


def test_no_module_is_outside_a_layer():
    assert [n for n in MODULES if n not in PACKAGES and not layer_of(n)] == []


def test_there_are_no_import_cycles():
    graph = {name: {t for t in imports(path, name) if t in MODULES and t != name}
             for name, path in MODULES.items()}
    # A package's __init__ is imported with its modules; only arrows between modules count.
    cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack)
        stack.pop()
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert cycles == []


def test_the_layer_test_sees_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from journeys.store import services\n")
    target = imports(bad, "journeys.domain.bad")
    assert "journeys.store.services" in target
    assert layer_of("journeys.store.services") not in LAYERS["journeys.domain"]
