"""The front desk's walk-in crime reports (issue 3): tables, rules, store and routes."""
