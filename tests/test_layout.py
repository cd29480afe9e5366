"""The layout keeps the promises the README makes to a newcomer.

- A URL's view lives in the package of the urls module that declares it (one hop).
- `consultations` imports neither `reports` nor `resources`; nothing imports `bench`.
- No import cycle among the project's modules at import time.
- Every Celery task has a pinned name, so moving a module breaks neither beat nor a queued message.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "consultations", "reports", "resources", "cop_site")


def _product_modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")) if (ROOT / app).exists() else []:
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "tests" in parts or "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _top_level_imports(path: Path, module: str, known: dict[str, Path]) -> set[str]:
    """The project modules a module imports when it is itself imported (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    imported: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                imported.add(name)
    return imported


def test_every_view_lives_beside_the_urls_module_that_routes_to_it() -> None:
    strays = []

    def walk(resolver: URLResolver, inherited: str = "") -> None:
        # A list of patterns included in place (`include((patterns, "namespace"))`) belongs
        # to the urls module that holds it.
        urlconf = resolver.urlconf_module
        package = getattr(urlconf, "__name__", "").rpartition(".")[0] or inherited
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace != "admin":  # the admin routes to each app's ModelAdmin
                    walk(entry, package)
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                module = getattr(callback, "__module__", "") or type(callback).__module__
                own = module.split(".")[0] in APPS
                if own and package and not module.startswith(package + ".") and module != package:
                    strays.append(f"{entry.pattern} → {module} (routed from {package})")

    walk(get_resolver())
    assert not strays, strays


def test_consultations_never_imports_reports_or_resources_and_nothing_imports_bench() -> None:
    known = _product_modules()
    offending = []
    for module, path in known.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top == "bench" or (module.startswith("consultations") and top in ("reports", "resources")):
                    offending.append(f"{module} imports {name}")
    assert not offending, offending


def test_no_import_cycle_at_import_time() -> None:
    known = _product_modules()
    graph = {module: _top_level_imports(path, module, known) for module, path in known.items()}
    # A package's __init__ importing its own submodules is not a cycle of design.
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target.startswith(module + "."):
                continue
            if state.get(target) == 1:
                cycles.append(" → ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, cycles


def test_every_celery_task_has_a_pinned_name() -> None:
    unnamed = []
    for module, path in _product_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    target = call.func if call else decorator
                    name = getattr(target, "id", getattr(target, "attr", ""))
                    if name in ("shared_task", "task") and not (
                        call and any(keyword.arg == "name" for keyword in call.keywords)
                    ):
                        unnamed.append(f"{module}.{node.name}")
    assert not unnamed, unnamed


def test_the_pinned_names_are_the_ones_beat_and_queued_messages_use() -> None:
    from django.conf import settings

    from cop_site.celery import app

    for module in ("accounts.tasks", "consultations.tasks", "reports.statistics.tasks", "reports.documents.tasks"):
        importlib.import_module(module)
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
    # Names that messages queued before the move still carry.
    for name in (
        "reports.tasks.build_record_export",
        "reports.tasks.prerender_results",
        "reports.tasks.requeue_unfinished_work",
        "reports.document_tasks.extract_document_text",
        "reports.subscription_tasks.notify_subscribers",
        "accounts.tasks.send_email",
    ):
        assert name in app.tasks, name
