"""pytest-xdist's ``--dist loadgroup`` with pytest 9.2: tests marked ``xdist_group`` go to one worker again.

pytest-xdist 3.8 sends a group to one worker by appending ``@<group>`` to each marked
test's ``item._nodeid``; pytest 9.2 keeps a node's id in ``item._id`` instead, so the
suffix never reaches the scheduler and a group's expensive session fixtures (the
validators, the PDF, the published site) are set up in every worker. This plugin sets
the suffixed id where pytest now keeps it. It applies only to the versions it was
written for (pytest 9.2, pytest-xdist 3.8) and otherwise leaves xdist's own behaviour.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from packaging.specifiers import SpecifierSet

WRITTEN_FOR = {"pytest": ">=9.2,<9.3", "pytest-xdist": ">=3.8,<3.9"}


def group_names(item: pytest.Item) -> list[str]:
    """The xdist_group names of a test, as pytest-xdist reads them (sorted; "default" when unnamed)."""
    return sorted(
        {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    )


def applies() -> bool:
    return all(SpecifierSet(spec).contains(version(dist)) for dist, spec in WRITTEN_FOR.items())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False) or not applies():
        return
    from _pytest.nodeid import coerce_node_id  # (pytest's own type for ids; private, hence the version check)

    for item in items:
        names = group_names(item)
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix):
            item._id = coerce_node_id(item.nodeid + suffix)
