"""The org chart's layout: pure, Django-free, drawn as SVG by the template.

Three rules keep a real org — a few dozen people, most of them without reports — about as wide
as a laptop screen:

- A manager whose reports (two or more) have no reports of their own gets them stacked in an
  indented column below, joined by a connector down the left, instead of side by side.
- Every other manager sits centred over their reports, laid out as a tidy tree: each subtree is
  placed on its own, then pushed right until, on every row it shares with the subtrees before it,
  it is a full gap clear of them (the contour idea of Reingold and Tilford). So boxes never
  overlap, and narrow subtrees tuck in beside deep ones.
- People with neither a manager nor reports are roots, but not trees: they wrap in rows under the
  chart instead of widening its top row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

Rows = dict[float, tuple[float, float]]  # top of a row of boxes -> (leftmost, rightmost) x
LOOSE_PER_ROW = 4  # people without manager or reports fit at least this many to a row


@dataclass(frozen=True)
class TreeNode:
    key: int
    children: Sequence[TreeNode] = ()

    @property
    def stacks(self) -> bool:
        """Are this node's children drawn as a column below it rather than a row?"""
        return len(self.children) >= 2 and not any(child.children for child in self.children)


@dataclass(frozen=True)
class Spacing:
    box_width: float
    box_height: float
    h_gap: float  # between boxes side by side
    v_gap: float  # between a manager and the row of their reports
    stack_gap: float  # between boxes in a stacked column
    indent: float  # of a stacked column, from its manager's left edge
    margin: float

    @property
    def row_step(self) -> float:
        return self.box_height + self.v_gap

    @property
    def stack_step(self) -> float:
        return self.box_height + self.stack_gap


@dataclass(frozen=True)
class Box:
    key: int
    x: float
    y: float
    width: float
    height: float
    depth: int

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Edge:
    parent: int
    child: int
    # An elbow from the bottom of the parent to the top of the child (a row of reports), or
    # from the parent's bottom left down the connector to the side of the child (a column).
    path: str


@dataclass(frozen=True)
class Layout:
    boxes: dict[int, Box] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0
    height: float = 0
    loose_top: float | None = None  # top of the rows of people outside any reporting line


@dataclass
class _Placed:
    """A laid-out subtree, relative to the top-left corner of its root's box."""

    boxes: dict[int, tuple[float, float, int]] = field(default_factory=dict)  # key -> x, y, depth
    rows: Rows = field(default_factory=dict)

    def add(self, other: _Placed, dx: float, dy: float, ddepth: int) -> None:
        for key, (x, y, depth) in other.boxes.items():
            self.boxes[key] = (x + dx, y + dy, depth + ddepth)
        for y, (low, high) in other.rows.items():
            old = self.rows.get(y + dy)
            low, high = low + dx, high + dx
            self.rows[y + dy] = (min(old[0], low), max(old[1], high)) if old else (low, high)


def _clearance(left: Rows, right: Rows, s: Spacing) -> float:
    """How far right a subtree must move to be clear of those before it on every row it shares
    (rows closer than a box and a stacking gap count as shared, so connectors stay clear too)."""
    return max(
        (
            high + s.h_gap - low
            for y_left, (_, high) in left.items()
            for y_right, (low, _) in right.items()
            if abs(y_left - y_right) < s.stack_step
        ),
        default=0.0,
    )


def _merge(children: Sequence[TreeNode], s: Spacing) -> tuple[_Placed, list[float]]:
    """Lay sibling subtrees side by side; return them and the x of each sibling's root box."""
    merged = _Placed()
    root_xs: list[float] = []
    for child in children:
        placed = _subtree(child, s)
        shift = _clearance(merged.rows, placed.rows, s) if merged.rows else 0.0
        merged.add(placed, shift, 0, 0)
        root_xs.append(shift)
    return merged, root_xs


def _stacked(node: TreeNode, s: Spacing) -> _Placed:
    placed = _Placed({node.key: (0.0, 0.0, 0)}, {0.0: (0.0, s.box_width)})
    for i, child in enumerate(node.children, start=1):
        y = i * s.stack_step
        placed.boxes[child.key] = (s.indent, y, 1)
        # The row starts at the manager's left edge: the connector runs there.
        placed.rows[y] = (0.0, s.indent + s.box_width)
    return placed


def _subtree(node: TreeNode, s: Spacing) -> _Placed:
    if node.stacks:
        return _stacked(node, s)
    placed = _Placed({node.key: (0.0, 0.0, 0)}, {0.0: (0.0, s.box_width)})
    if node.children:
        below, root_xs = _merge(node.children, s)
        placed.add(below, -(root_xs[0] + root_xs[-1]) / 2, s.row_step, 1)
    return placed


def _loose_rows(keys: list[int], trees_width: float, s: Spacing) -> _Placed:
    fit = math.floor((trees_width + s.h_gap) / (s.box_width + s.h_gap))
    per_row = max(fit, min(len(keys), LOOSE_PER_ROW), 1)
    placed = _Placed()
    for i, key in enumerate(keys):
        row, col = divmod(i, per_row)
        placed.boxes[key] = (col * (s.box_width + s.h_gap), row * s.stack_step, 0)
    return placed


def layout(
    roots: Sequence[TreeNode],
    *,
    box_width: float = 168,
    box_height: float = 76,
    h_gap: float = 16,
    v_gap: float = 40,
    stack_gap: float = 12,
    indent: float = 20,
    margin: float = 8,
) -> Layout:
    """Boxes (top-left corners, in pixels) and connecting edges for a forest of reporting lines."""
    if not roots:
        return Layout()
    s = Spacing(box_width, box_height, h_gap, v_gap, stack_gap, indent, margin)
    trees = [root for root in roots if root.children]
    placed, _ = _merge(trees, s)
    xs = [x for x, _, _ in placed.boxes.values()]
    left = min(xs, default=0.0)
    loose = [root.key for root in roots if not root.children]
    loose_top = None
    if loose:
        # Below the trees, with room for a caption between them.
        bottom = max((y + s.box_height for _, y, _ in placed.boxes.values()), default=None)
        loose_top = 0.0 if bottom is None else bottom + s.v_gap + 16
        trees_width = max(xs, default=left - s.box_width) + s.box_width - left
        placed.add(_loose_rows(loose, trees_width, s), left, loose_top, 0)
    return _finish(roots, placed, left, loose_top if trees else None, s)


def _finish(
    roots: Sequence[TreeNode], placed: _Placed, left: float, loose_top: float | None, s: Spacing
) -> Layout:
    boxes = {
        key: Box(key, s.margin + x - left, s.margin + y, s.box_width, s.box_height, depth)
        for key, (x, y, depth) in placed.boxes.items()
    }
    edges = [edge for root in roots for edge in _edges(root, boxes, s)]
    width = max(box.x + box.width for box in boxes.values()) + s.margin
    height = max(box.y + box.height for box in boxes.values()) + s.margin
    return Layout(boxes, edges, width, height, None if loose_top is None else s.margin + loose_top)


def _edges(node: TreeNode, boxes: dict[int, Box], s: Spacing) -> list[Edge]:
    edges = []
    top = boxes[node.key]
    bottom = top.y + top.height
    for child in node.children:
        below = boxes[child.key]
        if node.stacks:
            x = top.x + s.indent / 2
            path = f"M{x:g} {bottom:g} V{below.y + below.height / 2:g} H{below.x:g}"
        else:
            mid_y = bottom + s.v_gap / 2
            path = f"M{top.center_x:g} {bottom:g} V{mid_y:g} H{below.center_x:g} V{below.y:g}"
        edges.append(Edge(node.key, child.key, path))
        edges.extend(_edges(child, boxes, s))
    return edges
