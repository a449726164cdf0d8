"""The core API server: FastAPI app, persistence, migrations, demo seed and CLI."""
