"""The org chart's layout: no overlaps; a manager centred over reports who lead others, or with
reports who lead nobody stacked in a column below; people outside any reporting line in rows
under the chart."""

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


def assert_stacked(node: TreeNode, result: Layout) -> None:
    """Reports in one column, indented from the manager's left edge, each below the last."""
    parent = result.boxes[node.key]
    above = parent
    for child in node.children:
        box = result.boxes[child.key]
        assert parent.x < box.x < parent.x + parent.width
        assert box.y > above.y + above.height
        above = box


def assert_centred(node: TreeNode, result: Layout) -> None:
    parent = result.boxes[node.key]
    first, last = result.boxes[node.children[0].key], result.boxes[node.children[-1].key]
    assert abs(parent.center_x - (first.center_x + last.center_x) / 2) < 1e-6
    for child in node.children:
        assert result.boxes[child.key].y > parent.y + parent.height


def assert_tidy(roots: list[TreeNode], result: Layout) -> None:
    nodes = all_nodes(roots)
    assert set(result.boxes) == {node.key for node in nodes}
    for a, b in itertools.combinations(result.boxes.values(), 2):
        assert not overlaps(a, b), (a, b)
    for node in nodes:
        if node.children and all(not child.children for child in node.children):
            if len(node.children) > 1:
                assert_stacked(node, result)
            else:
                assert_centred(node, result)
        elif node.children:
            assert_centred(node, result)
    in_trees = [result.boxes[node.key] for node in all_nodes([r for r in roots if r.children])]
    bottom = max((box.y + box.height for box in in_trees), default=0)
    for root in roots:
        if not root.children and in_trees:  # people outside any reporting line: under the chart
            assert result.boxes[root.key].y > bottom
    for box in result.boxes.values():
        assert box.x >= 0
        assert box.y >= 0
        assert box.x + box.width <= result.width
        assert box.y + box.height <= result.height
    assert len(result.edges) == len(nodes) - len(roots)


def test_empty_forest() -> None:
    assert layout([]).boxes == {}


def test_single_person() -> None:
    result = layout([TreeNode(1)], box_width=100, box_height=50, margin=10)
    assert result.boxes[1] == Box(key=1, x=10, y=10, width=100, height=50, depth=0)
    assert (result.width, result.height) == (120, 70)
    assert result.edges == []


def test_reports_who_lead_nobody_are_stacked_below_their_manager() -> None:
    roots = [tree([[], [], []])]
    result = layout(
        roots, box_width=100, box_height=50, stack_gap=10, indent=20, h_gap=20, margin=0
    )
    manager = result.boxes[roots[0].key]
    reports = [result.boxes[node.key] for node in roots[0].children]
    assert (manager.x, manager.y) == (0, 0)
    assert [(box.x, box.y) for box in reports] == [(20, 60), (20, 120), (20, 180)]
    assert (result.width, result.height) == (120, 230)  # one column, not three side by side
    # The connector runs down the column's left, then right into each report's side.
    assert [edge.path for edge in result.edges] == [
        "M10 50 V85 H20",
        "M10 50 V145 H20",
        "M10 50 V205 H20",
    ]
    assert_tidy(roots, result)


def test_manager_centred_over_reports_who_lead_others() -> None:
    roots = [tree([[[]], [[]], [[]]])]
    result = layout(roots, box_width=100, h_gap=20, margin=0)
    xs = sorted(box.x for box in result.boxes.values() if box.depth == 1)
    assert xs == [0, 120, 240]
    assert result.boxes[roots[0].key].x == 120
    assert len(result.edges) == 6
    assert_tidy(roots, result)


def test_a_lone_report_tucks_in_beside_a_stacked_column() -> None:
    # The second report shares a row only with the first, not with the column below it: it
    # sits a gap right of the first report, over the column's indent.
    roots = [tree([[[], [], []], []])]
    result = layout(roots, box_width=100, h_gap=20, indent=20, margin=0)
    assert_tidy(roots, result)
    assert result.width == 220


def test_people_outside_any_reporting_line_wrap_in_rows_under_the_chart() -> None:
    chart, *loose = [tree([[[]], [[]]]), *(tree([]) for _ in range(5))]
    result = layout([chart, *loose], box_width=100, h_gap=20, margin=0)
    assert_tidy([chart, *loose], result)
    assert result.loose_top is not None
    rows = sorted({result.boxes[node.key].y for node in loose})
    assert rows[0] == result.loose_top
    assert len(rows) == 2  # four to a row at least, though the chart is two boxes wide
    alone = layout([tree([]), tree([])], box_width=100, h_gap=20, margin=0)
    assert alone.loose_top is None  # nothing to set them apart from
    assert sorted((box.x, box.y) for box in alone.boxes.values()) == [(0, 0), (120, 0)]


def test_forest_of_several_roots() -> None:
    roots = [tree([[], []]), tree([]), tree([[[]]])]
    result = layout(roots)
    assert_tidy(roots, result)
    assert {box.depth for box in result.boxes.values()} == {0, 1, 2}
    assert len(result.edges) == len(result.boxes) - len(roots)


def test_the_demo_org_fits_a_laptop_screen() -> None:
    """The demo company's shape (CPO and CTO lines, Group PMs with PMs, three leads without a
    manager) at the page's sizes: about 1,150 px wide, where side by side it was over 2,500."""
    group: list[Any] = [[], [], [], []]
    cpo: list[Any] = [[[group, group], [[[], [], []], []]], []]
    cto: list[Any] = [[[], []], []]
    roots = [tree(cpo), tree(cto), tree([]), tree([]), tree([])]
    result = layout(roots)
    assert_tidy(roots, result)
    assert result.width <= 1150


shapes: st.SearchStrategy[Any] = st.recursive(
    st.just([]), lambda children: st.lists(children, max_size=4), max_leaves=30
)


@settings(max_examples=150, deadline=None)
@given(st.lists(shapes, min_size=1, max_size=3))
def test_random_org_charts_are_tidy(forest: list[object]) -> None:
    roots = [tree(shape) for shape in forest]
    assert_tidy(roots, layout(roots))
