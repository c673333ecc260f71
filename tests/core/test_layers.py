"""`core/` and `accounts/` are the lowest layers: they import no domain app (applications,
reviews, experts, centers, evaluations) nor `portal`, which composes them all. Imports inside
functions count too: a deferred import is still a dependency. Migrations are walked as well
(none needs a domain app)."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOWER_LAYERS = ("core", "accounts")
UPPER_APPS = frozenset({"applications", "reviews", "experts", "centers", "evaluations", "portal"})
# Calls that import a module named by a string.
IMPORT_CALLS = frozenset({"import_module", "__import__", "import_string"})


def imported_modules(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, dotted module name) of every absolute import anywhere in `tree`: `import x`,
    `from x import y` (relative imports stay inside the package) and
    `importlib.import_module("x")` / `import_string("x.y")` with a literal name."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            function = node.func
            name = getattr(function, "attr", None) or getattr(function, "id", None)
            first = node.args[0]
            if (name in IMPORT_CALLS and isinstance(first, ast.Constant)
                    and isinstance(first.value, str)):
                found.append((node.lineno, first.value))
    return found


def upper_layer_imports(package: str) -> list[str]:
    """'path:line module' of every import of an upper app by a module under `package`/."""
    offences = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in imported_modules(tree):
            if module.split(".")[0] in UPPER_APPS:
                offences.append(f"{path.relative_to(ROOT)}:{line} {module}")
    return offences


@pytest.mark.parametrize("package", LOWER_LAYERS)
def test_lower_layers_import_no_domain_app(package):
    assert upper_layer_imports(package) == []


def test_the_upper_apps_are_installed_packages():
    """The list above names real apps: a renamed app would make the check vacuous."""
    installed = {name.split(".")[0] for name in settings.INSTALLED_APPS}
    assert UPPER_APPS <= installed
    for app in UPPER_APPS:
        importlib.import_module(app)


def test_the_walk_finds_imports_inside_functions():
    source = (
        "import os\n"
        "from .models import X\n"
        "def f():\n"
        "    from applications.selectors import calls_listed\n"
        "    import portal.views\n"
        "    return importlib.import_module('reviews.models')\n"
    )
    modules = [module for _, module in imported_modules(ast.parse(source))]
    assert sorted(modules) == ["applications.selectors", "os", "portal.views", "reviews.models"]
