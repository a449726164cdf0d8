"""The shell and shared widgets: main window, sign-in and lock, status bar, type-ahead, runner."""
