"""The demo reference data: synthetic CSV files from `resources/demo/`, imported into each
dataset that has never been imported (version 0)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from station_app.server.core.reference_data import import_rows, list_datasets, read_csv
from station_app.server.core.resources import demo_dir

# The shipped offence list is a sample with demo codes, not the Standard Offence Service
# (shared/domain/formats.md: never invent a code and present it as real).
DEMO_TITLES: dict[str, str] = {
    "offences": "Offences (demo sample — not the Standard Offence Service)",
    "stations": "Police stations (demo)",
    "cells": "Cells (demo)",
    "courts": "Courts (demo)",
    "officers": "Officers (demo)",
}


def seed_demo_reference(session: Session) -> list[str]:
    """Import the demo CSV of every dataset never imported, then commit; a line for each."""
    lines = []
    for dataset in list_datasets(session):
        path = demo_dir() / f"{dataset.name}.csv"
        if dataset.version == 0 and path.exists():
            result = import_rows(
                session, dataset.name, read_csv(path), title=DEMO_TITLES.get(dataset.name)
            )
            lines.append(result.summary())
    session.commit()
    return lines
