"""Reference data for the client cache (offences, stations, cells, courts, officers, rules)."""
