"""The environment the test suite runs in, set before pytest-django reads the settings.

Loaded as a plugin (`-p tests.environment` in pyproject's addopts), because the settings
are read before any conftest.py is imported. The suite runs with DEBUG off, as production
does, where SITE_URL has no default: the tests' is the test client's own host, so a link
in an email can be followed by the client.
"""

import os

os.environ.setdefault("SITE_URL", "http://testserver")
