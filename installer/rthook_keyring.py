"""PyInstaller runtime hook: a frozen Station on Windows keeps sign-ins in Windows Credential
Manager.

keyring finds backends through package entry points, which a frozen bundle may not carry, and
must never fall back to a plain-file or null backend on a police workstation. It reads
PYTHON_KEYRING_BACKEND when first used, so setting it here costs start-up nothing; an
administrator's own setting of the variable is left alone.
"""

import os
import sys

if sys.platform == "win32" and getattr(sys, "frozen", False):
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.Windows.WinVaultKeyring")
