"""The browser enforces the site's Content-Security-Policy, and the browser tests notice when
it blocks something (``page`` fails a test whose pages had anything blocked)."""

import pytest

pytestmark = pytest.mark.browser


def test_policy_blocks_an_injected_inline_script_and_the_tests_see_it(
    page, demo_site, csp_blocked, axe_violations
):
    # Given a public page
    page.goto(demo_site["home"])
    # When a script is injected into it as an XSS would do
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__injected = true;";
            document.body.appendChild(script);
        }"""
    )
    # Then the browser refuses to run it, and the refusal is reported to the test
    assert page.evaluate("window.__injected === undefined")
    page.wait_for_timeout(200)
    assert any("inline script" in message for message in csp_blocked), csp_blocked
    # while the tests' own axe-core still runs under the same policy
    assert isinstance(axe_violations(page), list)
    csp_blocked.clear()
