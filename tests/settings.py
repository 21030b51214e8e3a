"""Test settings: the real settings with a throw-away data dir, fast hashing, tasks run inline."""

import os
import tempfile

os.environ.setdefault("QUARTERDECK_DATA_DIR", tempfile.mkdtemp(prefix="quarterdeck-test-"))

from quarterdeck.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
