"""Browser tests: the demo site in headless Chromium."""
