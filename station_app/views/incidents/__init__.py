"""The Incidents tab: the incident log, a report's detail and timeline, and the walk-in form."""
