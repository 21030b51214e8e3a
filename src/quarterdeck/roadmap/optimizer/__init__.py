"""The portfolio optimizer: which initiatives to do, and in which period, to maximise value
under team capacity, dependencies, must-haves and exclusive options. Django-free (numpy, scipy's
HiGHS); the JSON format is documented in docs/optimizer.md."""

from quarterdeck.roadmap.optimizer.greedy import greedy
from quarterdeck.roadmap.optimizer.instance import (
    Dependency,
    ExclusiveGroup,
    Initiative,
    Instance,
    InstanceError,
    Team,
)
from quarterdeck.roadmap.optimizer.plan import (
    ERROR,
    HEURISTIC,
    INFEASIBLE,
    OPTIMAL,
    TIME_LIMIT,
    WITHIN_GAP,
    Plan,
)
from quarterdeck.roadmap.optimizer.solver import solve

__all__ = [
    "ERROR",
    "HEURISTIC",
    "INFEASIBLE",
    "OPTIMAL",
    "TIME_LIMIT",
    "WITHIN_GAP",
    "Dependency",
    "ExclusiveGroup",
    "Initiative",
    "Instance",
    "InstanceError",
    "Plan",
    "Team",
    "greedy",
    "solve",
]
