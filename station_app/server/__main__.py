"""`python -m station_app.server ...` runs the `station-server` command line."""

from station_app.server.cli import main

raise SystemExit(main())
