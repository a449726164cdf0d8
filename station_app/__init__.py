"""Station: a desktop workstation for police station staff, and its core API server."""

__version__ = "0.1.0"
