"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session, a fresh context (no cookies, no cache) for every test.
Nothing is downloaded: the browser is /usr/bin/chromium, axe-core ships in its package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between pages are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Fail within seconds rather than Playwright's default 30 s when something is missing.
TIMEOUT_MS = 10_000
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test collected here drives Chromium: `pytest -m "not browser"` leaves them all out."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package", autouse=True)
def _compiled_translations(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Serve the real translations without writing .mo files into the repository.

    `make test` compiles them in place; a bare `pytest tests/browser` would otherwise show
    English in every language. The .po files are compiled into a temporary copy.
    """
    from django.conf import settings
    from django.test import override_settings

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("Browser tests need msgfmt to compile the translations: apt-get install gettext", pytrace=False)
    target = tmp_path_factory.mktemp("locale")
    for source in settings.LOCALE_PATHS:
        for po in Path(source).glob("*/LC_MESSAGES/*.po"):
            out = target / po.relative_to(source).with_suffix(".mo")
            out.parent.mkdir(parents=True, exist_ok=True)
            done = subprocess.run(
                [msgfmt, "--check-format", "-o", str(out), str(po)], capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                pytest.fail(f"{po} does not compile:\n{done.stderr}", pytrace=False)
    with override_settings(LOCALE_PATHS=[target]):
        yield


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "it was not found. Never run `playwright install` for these tests.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        manager.stop()
        pytest.fail(f"Chromium at {CHROMIUM} could not be started: {error}", pytrace=False)
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture(autouse=True)
def _static_files_as_in_production(live_server: Any) -> None:
    """Serve every request, static files included, through the project's own WSGI stack.

    pytest-django's live server answers /static/ with Django's finders, which know nothing
    of the hashed names the manifest storage puts in pages: the stylesheet would be a 404 and
    every page unstyled. In production WhiteNoise serves the collected files; so it does here.
    """
    from django.core.handlers.wsgi import WSGIHandler

    server = live_server.thread.httpd
    if not getattr(server, "cop_consult_whitenoise", False):
        server.set_app(WSGIHandler())
        server.cop_consult_whitenoise = True


@pytest.fixture
def new_context(chromium: Any) -> Iterator[Callable[..., Any]]:
    """new_context(**options) -> a fresh browser context, closed after the test."""
    contexts = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1024, "height": 768})
        context = chromium.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    """A page with JavaScript on, in a context of its own."""
    return new_context().new_page()


@pytest.fixture
def demo(transactional_db: None) -> dict[str, Any]:
    """The two real demo consultations (all six languages), by slug."""
    from django.core.management import call_command

    from consultations.models import Consultation

    call_command("load_demo", verbosity=0)
    found = {
        c.slug: c for c in Consultation.objects.with_content().filter(slug__in=["cyberbullying", "digital-skills"])
    }
    assert sorted(found) == ["cyberbullying", "digital-skills"], "load_demo loads both demo consultations"
    return found


# Helpers -------------------------------------------------------------------------------


def ui(language: str, message: str) -> str:
    """What the interface shows for `message` in `language` (the English text if untranslated)."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)


def send_button(page: Any, language: str) -> Any:
    """The form's own submit button, found as a user finds it: by what it says."""
    return page.get_by_role("button", name=ui(language, "Send my answers"), exact=True)


def is_send_button(language: str) -> str:
    """A tab_until() predicate for the send button (the language switcher has submit buttons too)."""
    return f"e.tagName === 'BUTTON' && e.textContent.trim() === {json.dumps(ui(language, 'Send my answers'))}"


def direction(language: str) -> str:
    return "rtl" if language == "ar" else "ltr"


def assert_styled(page: Any) -> None:
    """The site stylesheet loaded (the body text is 1.125rem, not the browser's 16px)."""
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px", f"site.css is not applied on {page.url}"


def html_lang_dir(page: Any) -> tuple[str | None, str | None]:
    root = page.locator("html")
    return root.get_attribute("lang"), root.get_attribute("dir")


def describe_focus(page: Any) -> str:
    return page.evaluate(
        """() => { const e = document.activeElement; if (!e) return 'nothing';
        return e.tagName.toLowerCase() + (e.type ? '[type=' + e.type + ']' : '')
          + (e.name ? '[name=' + e.name + ']' : '')
          + (e.id ? '#' + e.id : '') + (e.getAttribute('href') ? '[href=' + e.getAttribute('href') + ']' : '')
          + ' "' + (e.textContent || '').trim().slice(0, 40) + '"'; }"""
    )


def tab_until(page: Any, predicate: str, what: str, limit: int = 80, key: str = "Tab") -> None:
    """Press Tab (or `key`) until the JS expression `predicate` (on `e`, the focused element) holds."""
    trail = []
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!(e && ({predicate})); }}"):
            return
        trail.append(describe_focus(page))
    raise AssertionError(
        f"{what} was not reached with {limit} presses of {key}; focus went through:\n  " + "\n  ".join(trail)
    )


def press_and_wait_for_page(page: Any, key: str = "Enter") -> None:
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)


def assert_no_axe_violations(page: Any, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    if results.violations_count:
        lines = [f"axe-core found {results.violations_count} violation(s) on {label} ({page.url}):"]
        for violation in results.response["violations"]:
            lines.append(
                f"- {violation['id']} ({violation.get('impact')}): {violation['help']} [{violation['helpUrl']}]"
            )
            for node in violation["nodes"]:
                lines.append(f"    target {', '.join(map(str, node['target']))}: {node.get('html', '')[:160]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        raise AssertionError("\n".join(lines))
