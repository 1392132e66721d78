"""A strategy written as a TOML file (`socmed strategy draft --file strategy.toml`).

A strategy is a document with nested parts (goals, KPI targets, audiences, platforms, brand
voice), which people write and review better as a file than as fifty command options. The
file's shape is the StrategyPlan value object's; docs/examples/strategy-2027.toml is a full one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cattrs import ClassValidationError, transform_error

from socmed_domain.errors import InvalidInputError
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.transcoding import converter


def read_strategy_file(path: Path) -> StrategyPlan:
    """The plan in `path`, or one InvalidInputError naming the file and what is wrong (read
    by socmed_adapters.files: size-bounded, UTF-8, nesting bounded, no FIFO or device)."""
    from socmed_adapters.files import read_toml

    return strategy_from_dict(read_toml(path, "strategy"), str(path))


def strategy_from_dict(data: dict[str, Any], source: str = "strategy") -> StrategyPlan:
    try:
        return converter.structure(data, StrategyPlan)
    except ClassValidationError as error:
        detail = "; ".join(transform_error(error, path="$")[:3])
        raise InvalidInputError("error.strategy_file", path=source, detail=detail) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise InvalidInputError("error.strategy_file", path=source, detail=str(error)) from None
