"""One package per tab of the main window."""
