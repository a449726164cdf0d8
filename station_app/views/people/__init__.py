"""The People tab: find a person, read their timeline across records, and (supervisors and
administrators) work through suggested merges."""
