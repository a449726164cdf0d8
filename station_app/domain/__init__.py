"""Pure policing rules and value types, shared by client and server (standard library only)."""
