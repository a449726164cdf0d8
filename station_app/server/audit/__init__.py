"""Reading the audit trail, for administrators and supervisors. Writing it is the core's
(core/audit.py): every feature records its reads and changes."""
