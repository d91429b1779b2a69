"""Print the import cycles among the project's modules (strongly connected components).

Every import counts, function-level ones included (grimp reads them all), so a cycle
dodged by importing inside a function still shows. ``make lint`` runs
``lint-imports``, which refuses new cycles; this script lists what there is:

    .venv/bin/python scripts/import_cycles.py
"""

from __future__ import annotations

import sys
from importlib.util import find_spec
from pathlib import Path

import grimp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PACKAGES = ("cms", "publishing", "search", "delivery", "comments")


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively (no recursion limit to hit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def main() -> int:
    packages = [name for name in PACKAGES if find_spec(name) is not None]
    graph = grimp.build_graph(*packages)
    modules = set(graph.modules)
    edges = {
        module: set(graph.find_modules_directly_imported_by(module)) & modules
        for module in modules
    }
    cycles = [c for c in strongly_connected(edges) if len(c) > 1]
    print(
        f"{len(modules)} modules in {', '.join(packages)}: "
        f"{len(cycles)} import cycle(s)"
    )
    for cycle in sorted(cycles, key=len, reverse=True):
        print(f"- {len(cycle)} modules: {', '.join(cycle)}")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
