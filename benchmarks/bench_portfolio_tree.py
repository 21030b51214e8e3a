"""Benchmark: building the portfolio tree (the portfolio page and /api/v1/portfolio/tree).

Figure: `portfolio_tree` (three queries, assembled in Python). Baseline, measured in the same run
on the same data: the naive ORM walk (one query per level per parent). Run:

    .venv/bin/python benchmarks/bench_portfolio_tree.py [--lines 30] [--products 300] \
        [--features 6000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup_django() -> None:
    os.environ["QUARTERDECK_DATA_DIR"] = tempfile.mkdtemp(prefix="qd-bench-")
    os.environ.pop("QUARTERDECK_DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "quarterdeck.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def populate(lines: int, products: int, features: int) -> Any:
    from quarterdeck.accounts.models import Role, User
    from quarterdeck.portfolio.models import Feature, Product, ProductLine, Stage

    stages = Stage.values
    user = User.objects.create_user("bench@example.com", "x", role=Role.LEADER)
    line_objs = ProductLine.objects.bulk_create(
        ProductLine(name=f"Line {i}", stage=stages[i % 7]) for i in range(lines)
    )
    product_objs = Product.objects.bulk_create(
        Product(name=f"Product {i}", line=line_objs[i % lines], stage=stages[i % 7])
        for i in range(products)
    )
    Feature.objects.bulk_create(
        Feature(name=f"Feature {i}", product=product_objs[i % products], stage=stages[i % 7])
        for i in range(features)
    )
    return user


def naive_tree(user: Any) -> int:
    """What a straightforward recursive view would do: one query per parent."""
    from quarterdeck.portfolio.models import ProductLine

    count = 0
    for line in ProductLine.objects.filter(parent=None):
        for product in line.products.all():
            count += 1
            for feature in product.features.filter(parent=None):
                count += 1 + feature.children.count()
    return count


def tree(user: Any) -> int:
    from quarterdeck.portfolio.selectors import portfolio_tree

    count = 0
    for node in portfolio_tree(user):
        for pnode in node.products:
            count += 1 + len(pnode.features)
    return count


def timed(fn: Callable[[Any], int], user: Any, repeat: int) -> tuple[float, int]:
    times = []
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(user)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--products", type=int, default=300)
    parser.add_argument("--features", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    setup_django()
    user = populate(args.lines, args.products, args.features)
    ours, n_ours = timed(tree, user, args.repeat)
    naive, n_naive = timed(naive_tree, user, args.repeat)
    assert n_ours == n_naive, (n_ours, n_naive)
    print(
        f"portfolio tree, {args.lines} lines / {args.products} products / {args.features} features"
    )
    print(f"  portfolio_tree (3 queries):   {ours * 1000:8.1f} ms  (median of {args.repeat})")
    print(f"  baseline naive ORM walk:      {naive * 1000:8.1f} ms")
    print(f"  ratio baseline / ours:        {naive / ours:8.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
