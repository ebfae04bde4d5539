"""axe-core in the browser lane: ``Audit`` opens a person's pages and runs the pinned axe-core on each,
collecting every violation (rule, impact, elements, page) for ``assert_no_violations``.

axe-core comes from the npm registry at the version pinned in the Makefile (`make axe`, run by
`make test-e2e`). The browser lane's server hands it out at ``AXE_CORE_PATH`` (``serving_axe_core``, not
the site itself), so each audited page loads it as a script of its own origin, which its CSP
(script-src 'self') allows, and Chromium keeps it compiled: sent through the DevTools protocol instead,
its 650 kB were parsed again on every audited page (about 60 ms each, 150 pages a run).
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import expect_refusal

def _axe_core_js() -> Path:
    """Where `make axe` put the pinned axe-core (the Makefile's AXE_CORE_VERSION), unless
    AXE_CORE_JS says otherwise."""
    if os.environ.get("AXE_CORE_JS"):
        return Path(os.environ["AXE_CORE_JS"])
    root = Path(__file__).resolve().parents[2]
    version = re.search(r"^AXE_CORE_VERSION := (\S+)$", (root / "Makefile").read_text(), re.M).group(1)
    return root / ".venv" / f"axe-core-{version}" / "node_modules" / "axe-core" / "axe.min.js"


AXE_CORE_JS = _axe_core_js()

# WCAG 2.1 A and AA, and axe's best practices (landmarks, heading order, empty table headers ...).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    # Off by default since WCAG 2.2 dropped 4.1.1, but two controls sharing an id still confuse
    # labels and keyboard users, and ids must be unique on a page (hidden CSRF inputs carry none).
    "rules": {"duplicate-id-active": {"enabled": True}, "duplicate-id": {"enabled": True}},
}
# Rules axe reports as "needs review" rather than failed; for these a finding is a failure here. An id
# shared by two elements where a label or an aria-* attribute points to it sends that pointer to the
# wrong one.
FAIL_ON_REVIEW = ["duplicate-id-aria"]

AXE_CORE_PATH = "/__browser-lane__/axe.min.js"


@functools.cache
def axe_source() -> bytes:
    if not AXE_CORE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_CORE_JS}: run `make axe` (or `make test-e2e`)")
    return AXE_CORE_JS.read_bytes()


def serving_axe_core(site):
    """``site`` (a WSGI app) that also answers ``AXE_CORE_PATH`` with axe-core, cached by the browser."""
    source = axe_source()

    def app(environ, start_response):
        if environ.get("PATH_INFO") != AXE_CORE_PATH:
            return site(environ, start_response)
        start_response("200 OK", [("Content-Type", "text/javascript; charset=utf-8"),
                                  ("Content-Length", str(len(source))), ("Cache-Control", "max-age=3600")])
        return [source]

    return app


class Audit:
    """One person's browser page; ``check(path)`` opens a page and runs axe on it."""

    def __init__(self, page):
        self.page = page
        self.findings: list[str] = []
        self.audited: list[str] = []

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"

    def check_each(self, *paths: str) -> None:
        for path in paths:
            self.check(path)

    def follow(self, selector: str, label: str) -> None:
        """Audit the page behind the first link matching ``selector``."""
        self.page.locator(selector).first.click()
        self.page.wait_for_load_state()
        self.check(None, label)

    def submit_invalid(self, form: str, label: str) -> None:
        """Send ``form`` as it is and audit the page it comes back on with its errors (400, or 401 for
        a refused sign-in)."""
        expect_refusal(self.page, urlsplit(self.page.url).path)
        self.page.click(f"{form} button[type=submit]")
        self.page.wait_for_load_state()
        self.check(None, label)

    def check(self, path: str | None = None, label: str | None = None) -> None:
        """Audit ``path`` (or the page already open when ``path`` is None)."""
        if path is not None:
            self.open(path)
        url = urlsplit(self.page.url)
        where = label or url.path + (f"?{url.query}" if url.query else "")
        result = self.page.evaluate(
            """async ([path, options, failOnReview]) => {
                // axe skips what is hidden: open the folded panels so that what they hold is audited too.
                document.querySelectorAll('details').forEach(d => { d.open = true; });
                if (typeof window.axe === 'undefined') {
                    await new Promise((loaded, failed) => {
                        const script = document.createElement('script');
                        script.src = path;
                        script.onload = loaded;
                        script.onerror = () => failed(new Error('axe-core did not load from ' + path));
                        document.head.append(script);
                    });
                }
                const result = await axe.run(document, {...options, resultTypes: ["violations"]});
                const found = result.violations.concat(
                    result.incomplete.filter(r => failOnReview.includes(r.id)));
                return {
                    rulesPassed: result.passes.length,
                    violations: found.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")),
                    })),
                };
            }""", [AXE_CORE_PATH, AXE_OPTIONS, FAIL_ON_REVIEW])
        assert result["rulesPassed"] > 10, f"axe checked next to nothing on {where}"
        self.audited.append(where)
        for v in result["violations"]:
            shown = v["targets"][:8]
            more = f" (+{len(v['targets']) - len(shown)} more)" if len(v["targets"]) > len(shown) else ""
            self.findings.append(f"{where}: {v['id']} [{v['impact']}] {v['help']} -> {', '.join(shown)}{more}")


def assert_no_violations(*people: Audit) -> None:
    assert all(person.audited for person in people), "someone audited no page"
    findings = [finding for person in people for finding in person.findings]
    if findings:
        report = "\n".join(findings)
        pytest.fail(f"axe found {len(findings)} violation(s):\n{report}", pytrace=False)
