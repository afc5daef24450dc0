"""Graph facts of a journey: transitions in effect, starts, outcomes, main path, loops.

Every fact is computed once per journey in linear time (no path enumeration), so the
checks and the designer stay fast on journeys of thousands of steps. Steps are
referred to by their index in document order.
"""

from collections import deque
from dataclasses import dataclass
from functools import cached_property

from journeys.domain.document import Journey, Transition


@dataclass(frozen=True)
class Edge:
    """A transition in effect: explicit (``index`` into ``transitions``) or implied (None)."""

    source: int
    target: int
    kind: str
    index: int | None


class JourneyGraph:
    """The touchpoint graph of one journey, with its facts computed on first use."""

    def __init__(self, journey: Journey):
        self.journey = journey
        self.steps = journey.steps
        self.position = {s.id: i for i, s in enumerate(journey.steps)}
        n = len(self.steps)
        if journey.transitions:
            self.edges = [
                Edge(self.position[t.source], self.position[t.target], t.kind, i)
                for i, t in enumerate(journey.transitions)
            ]
        else:
            # A document without transitions reads as a straight line of flow transitions.
            self.edges = [Edge(i, i + 1, "flow", None) for i in range(n - 1)]
        self.out_edges: list[list[Edge]] = [[] for _ in range(n)]
        self.in_edges: list[list[Edge]] = [[] for _ in range(n)]
        for e in self.edges:
            self.out_edges[e.source].append(e)
            self.in_edges[e.target].append(e)

    @property
    def implied(self) -> bool:
        """True when the journey has no transitions of its own."""
        return not self.journey.transitions

    def transition(self, edge: Edge) -> Transition:
        """The document transition an edge stands for (implied edges get a fresh one)."""
        if edge.index is not None:
            return self.journey.transitions[edge.index]
        return Transition(self.steps[edge.source].id, self.steps[edge.target].id)

    @cached_property
    def starts(self) -> list[int]:
        """Steps with no incoming transition; if every step has one, the first step."""
        found = [i for i, ins in enumerate(self.in_edges) if not ins]
        return found or [0][: len(self.steps)]

    def is_outcome(self, i: int) -> bool:
        """Whether step ``i`` ends the journey: it has no outgoing transition."""
        return not self.out_edges[i]

    @cached_property
    def outcomes(self) -> list[int]:
        """Steps with no outgoing transition."""
        return [i for i in range(len(self.steps)) if self.is_outcome(i)]

    def is_failure_outcome(self, i: int) -> bool:
        """An outcome reached only by (at least one) ``failure`` transitions."""
        ins = self.in_edges[i]
        return self.is_outcome(i) and bool(ins) and all(e.kind == "failure" for e in ins)

    @cached_property
    def success_outcomes(self) -> list[int]:
        """Outcomes that are not failure outcomes."""
        return [i for i in self.outcomes if not self.is_failure_outcome(i)]

    @cached_property
    def main_path(self) -> list[int]:
        """From the first start, follow the first outgoing ``flow`` transition each time."""
        path: list[int] = []
        seen: set[int] = set()
        current: int | None = self.starts[0] if self.starts else None
        while current is not None and current not in seen:
            path.append(current)
            seen.add(current)
            current = next((e.target for e in self.out_edges[current] if e.kind == "flow"), None)
        return path

    def reaches_any(self, targets: set[int]) -> list[bool]:
        """For each step, whether it is in ``targets`` or reaches one of them."""
        mark = [False] * len(self.steps)
        queue = deque(targets)
        for i in targets:
            mark[i] = True
        while queue:
            i = queue.popleft()
            for e in self.in_edges[i]:
                if not mark[e.source]:
                    mark[e.source] = True
                    queue.append(e.source)
        return mark

    def reach_from(self, sources: list[int], passable: list[bool]) -> list[bool]:
        """For each step, whether a path of passable steps leads to it from a passable source.

        A breadth-first search over the transitions in effect, linear in steps and
        transitions; a step that is not passable is never reached (nor passed through).
        """
        mark = [False] * len(self.steps)
        queue = deque(i for i in sources if passable[i])
        for i in queue:
            mark[i] = True
        while queue:
            i = queue.popleft()
            for e in self.out_edges[i]:
                if passable[e.target] and not mark[e.target]:
                    mark[e.target] = True
                    queue.append(e.target)
        return mark

    @cached_property
    def components(self) -> list[int]:
        """Strongly connected component id of each step (iterative Tarjan)."""
        n = len(self.steps)
        index = [-1] * n
        low = [0] * n
        comp = [-1] * n
        on_stack = [False] * n
        stack: list[int] = []
        counter = 0
        ncomp = 0
        for root in range(n):
            if index[root] != -1:
                continue
            work = [(root, 0)]
            while work:
                v, pos = work[-1]
                if pos == 0:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack[v] = True
                outs = self.out_edges[v]
                if pos < len(outs):
                    work[-1] = (v, pos + 1)
                    w = outs[pos].target
                    if index[w] == -1:
                        work.append((w, 0))
                    elif on_stack[w]:
                        low[v] = min(low[v], index[w])
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp[w] = ncomp
                        if w == v:
                            break
                    ncomp += 1
        return comp

    @cached_property
    def loops(self) -> list[list[int]]:
        """Loops: components of two or more steps, and self-looping steps outside them.

        Each loop lists its steps in document order; loops are ordered by their
        earliest step.
        """
        members: dict[int, list[int]] = {}
        for i, c in enumerate(self.components):
            members.setdefault(c, []).append(i)
        loops = [m for m in members.values() if len(m) >= 2]
        in_big = {i for m in loops for i in m}
        for e in self.edges:
            if e.source == e.target and e.source not in in_big:
                loops.append([e.source])
                in_big.add(e.source)
        loops.sort(key=lambda m: m[0])
        return loops

    @cached_property
    def loop_index(self) -> dict[int, int]:
        """Step → the index in :attr:`loops` of its loop, for every step that is in one."""
        return {i: n for n, members in enumerate(self.loops) for i in members}
