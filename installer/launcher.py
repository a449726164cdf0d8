"""The frozen bundle's entry script: the same `main` as `station-app` and `python -m
station_app`."""

import sys

from station_app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
