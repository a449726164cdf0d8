"""The Case files tab: My cases, the case view with its checklist and form editors, the
disclosure schedules and the bundle (issue 5)."""
