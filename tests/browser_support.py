"""A real browser for the UI tests: Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def admin_page(studio, viewport=(1400, 1000)):
    """A page logged in to ``studio`` as its admin (the password the server start wrote)."""
    password = (studio.home / "admin_password").read_text().strip()
    with logged_in_page(studio, "admin@agitprop.invalid", password, viewport) as page:
        yield page


@contextmanager
def logged_in_page(studio, email: str, password: str, viewport=(1400, 1000)):
    """A page logged in to ``studio`` through its login form, as a person would."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            width, height = viewport
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(f"{studio.url}/user/login/")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            yield page
        finally:
            browser.close()
