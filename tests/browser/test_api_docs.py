"""The API's documentation page in headless Chromium: Swagger UI from the vendored sidecar, the schema read,
the operations listed, and no Content-Security-Policy violation (the start script is a file, not inline)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_show_the_operations_without_a_csp_violation(page, live_server, transactional_db):
    messages, requests = [], []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    # Swagger UI is a large script that builds the page after reading the schema: give it time on a busy machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("GMG Portal API", timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/troika/")).to_be_visible()
    # The description is Markdown: the key's placeholder shows as written, not eaten as a tag.
    expect(page.locator(".swagger-ui .info .description")).to_contain_text("Authorization: Bearer <key>, from your")
    expect(page.locator(".opblock-summary-path", has_text="/api/activities/{id}/updates/").first).to_be_visible()
    problems = [m for m in messages if "Content Security Policy" in m or m.startswith(("pageerror", "error"))]
    assert problems == []
    assert all(url.startswith(live_server.url) for url in requests), "the page fetched something from elsewhere"
