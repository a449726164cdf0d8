"""The custody suite on the core API: custody records as append-only event logs, the board."""
