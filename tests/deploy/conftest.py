"""The deploy tests drive Chromium with the browser tests' fixtures."""

from tests.browser.conftest import browser, page  # noqa: F401
