"""The org chart's tidy-tree layout: no overlaps, parents centred over their children."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from quarterdeck.web.orgchart import Box, Layout, TreeNode, layout

counter = itertools.count(1)


def tree(shape: object) -> TreeNode:
    """A tree from nested lists: [] is a leaf, [[], []] a node with two leaves."""
    assert isinstance(shape, list)
    return TreeNode(next(counter), tuple(tree(child) for child in shape))


def all_nodes(roots: list[TreeNode]) -> list[TreeNode]:
    found: list[TreeNode] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(node.children)
    return found


def overlaps(a: Box, b: Box) -> bool:
    return (
        a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


def assert_tidy(roots: list[TreeNode], result: Layout) -> None:
    nodes = all_nodes(roots)
    assert set(result.boxes) == {node.key for node in nodes}
    for a, b in itertools.combinations(result.boxes.values(), 2):
        assert not overlaps(a, b), (a, b)
    for node in nodes:
        parent = result.boxes[node.key]
        if node.children:
            first, last = result.boxes[node.children[0].key], result.boxes[node.children[-1].key]
            assert abs(parent.center_x - (first.center_x + last.center_x) / 2) < 1e-6
        for child in node.children:
            assert result.boxes[child.key].y > parent.y + parent.height
    for box in result.boxes.values():
        assert box.x >= 0
        assert box.y >= 0
        assert box.x + box.width <= result.width
        assert box.y + box.height <= result.height


def test_empty_forest() -> None:
    assert layout([]).boxes == {}


def test_single_person() -> None:
    result = layout([TreeNode(1)], box_width=100, box_height=50, margin=10)
    assert result.boxes[1] == Box(key=1, x=10, y=10, width=100, height=50, depth=0)
    assert (result.width, result.height) == (120, 70)
    assert result.edges == []


def test_manager_centred_over_three_reports() -> None:
    roots = [tree([[], [], []])]
    result = layout(roots, box_width=100, h_gap=20, margin=0)
    xs = sorted(box.x for box in result.boxes.values() if box.depth == 1)
    assert xs == [0, 120, 240]
    assert result.boxes[roots[0].key].x == 120
    assert len(result.edges) == 3
    assert_tidy(roots, result)


def test_a_narrow_subtree_tucks_in_next_to_a_deep_one() -> None:
    # The second child has no reports, so it needs only one slot beside the first.
    roots = [tree([[[], [], []], []])]
    result = layout(roots, box_width=100, h_gap=20, margin=0)
    assert_tidy(roots, result)
    assert result.width == 340  # three grandchildren wide, not four


def test_forest_of_several_roots() -> None:
    roots = [tree([[], []]), tree([]), tree([[[]]])]
    result = layout(roots)
    assert_tidy(roots, result)
    assert {box.depth for box in result.boxes.values()} == {0, 1, 2}
    assert len(result.edges) == len(result.boxes) - len(roots)


shapes: st.SearchStrategy[Any] = st.recursive(
    st.just([]), lambda children: st.lists(children, max_size=4), max_leaves=30
)


@settings(max_examples=150, deadline=None)
@given(st.lists(shapes, min_size=1, max_size=3))
def test_random_org_charts_are_tidy(forest: list[object]) -> None:
    roots = [tree(shape) for shape in forest]
    assert_tidy(roots, layout(roots))
