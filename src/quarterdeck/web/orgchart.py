"""A tidy-tree layout for the org chart: pure, Django-free, drawn as SVG by the template.

Each subtree is laid out on its own, then siblings are pushed right until, on every level they
share, the left edge of the new subtree is a full slot clear of the right edge of those before it
(the contour idea of Reingold and Tilford). A parent sits centred over its first and last child.
So boxes never overlap, and narrow subtrees tuck in under wide ones' neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

Contour = list[tuple[float, float]]  # per level below the top: (leftmost, rightmost) slot


@dataclass(frozen=True)
class TreeNode:
    key: int
    children: Sequence[TreeNode] = ()


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
    # An elbow from the bottom centre of the parent to the top centre of the child.
    path: str


@dataclass(frozen=True)
class Layout:
    boxes: dict[int, Box] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    width: float = 0
    height: float = 0


@dataclass
class _Placed:
    slots: dict[int, float]  # key -> horizontal slot, relative to the subtree's own centre
    depths: dict[int, int]  # key -> depth below the subtree's top
    contour: Contour


def _merge(children: Sequence[TreeNode]) -> tuple[_Placed, list[float]]:
    """Lay sibling subtrees side by side; return them and the slot of each sibling's root."""
    merged = _Placed({}, {}, [])
    root_slots: list[float] = []
    for child in children:
        placed = _subtree(child)
        shared = range(min(len(merged.contour), len(placed.contour)))
        shift = max((merged.contour[d][1] + 1 - placed.contour[d][0] for d in shared), default=0.0)
        root_slots.append(shift)
        merged.slots.update({key: slot + shift for key, slot in placed.slots.items()})
        merged.depths.update(placed.depths)
        for depth, (low, high) in enumerate(placed.contour):
            if depth < len(merged.contour):
                old_low, old_high = merged.contour[depth]
                merged.contour[depth] = (min(old_low, low + shift), max(old_high, high + shift))
            else:
                merged.contour.append((low + shift, high + shift))
    return merged, root_slots


def _subtree(node: TreeNode) -> _Placed:
    below, root_slots = _merge(node.children)
    centre = (root_slots[0] + root_slots[-1]) / 2 if root_slots else 0.0
    slots = {key: slot - centre for key, slot in below.slots.items()}
    slots[node.key] = 0.0
    depths = {key: depth + 1 for key, depth in below.depths.items()}
    depths[node.key] = 0
    contour = [(0.0, 0.0)] + [(low - centre, high - centre) for low, high in below.contour]
    return _Placed(slots, depths, contour)


def layout(
    roots: Sequence[TreeNode],
    *,
    box_width: float = 184,
    box_height: float = 64,
    h_gap: float = 20,
    v_gap: float = 44,
    margin: float = 8,
) -> Layout:
    """Boxes (top-left corners, in pixels) and connecting edges for a forest of reporting lines."""
    if not roots:
        return Layout()
    placed, _ = _merge(roots)
    left = min(placed.slots.values())
    boxes = {
        key: Box(
            key=key,
            x=margin + (slot - left) * (box_width + h_gap),
            y=margin + placed.depths[key] * (box_height + v_gap),
            width=box_width,
            height=box_height,
            depth=placed.depths[key],
        )
        for key, slot in placed.slots.items()
    }
    edges = [edge for root in roots for edge in _edges(root, boxes, v_gap)]
    width = max(box.x + box.width for box in boxes.values()) + margin
    height = max(box.y + box.height for box in boxes.values()) + margin
    return Layout(boxes, edges, width, height)


def _edges(node: TreeNode, boxes: dict[int, Box], v_gap: float) -> list[Edge]:
    edges = []
    top = boxes[node.key]
    for child in node.children:
        below = boxes[child.key]
        mid_y = top.y + top.height + v_gap / 2
        path = (
            f"M{top.center_x:g} {top.y + top.height:g} V{mid_y:g} H{below.center_x:g} V{below.y:g}"
        )
        edges.append(Edge(node.key, child.key, path))
        edges.extend(_edges(child, boxes, v_gap))
    return edges
