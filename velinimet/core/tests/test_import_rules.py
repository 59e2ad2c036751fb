"""The app graph of docs/architecture.md holds: apps import only the apps below them, and no module of an
app imports a sibling that imports it back (the contracts are in pyproject.toml, [tool.importlinter])."""

from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[3]


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert code == 0, capsys.readouterr().out


def test_a_kernel_import_of_a_domain_app_breaks_the_layers() -> None:
    """The contract is not vacuous: its layers refuse core importing accounts."""
    import tomllib

    import grimp

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["id"] == "layers"]
    graph = grimp.build_graph("velinimet", exclude_type_checking_imports=True)
    graph.add_import(importer="velinimet.core.jobs", imported="velinimet.accounts.models")
    illegal = graph.find_illegal_dependencies_for_layers(layers=layers)
    assert any(d.importer == "velinimet.core" and d.imported == "velinimet.accounts" for d in illegal)
