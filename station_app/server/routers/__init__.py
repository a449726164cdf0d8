"""HTTP routers of the core API, one module per resource."""
