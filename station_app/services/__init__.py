"""Client-side work with no widgets: API client, credentials, reference cache, embedded server."""
