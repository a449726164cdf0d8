"""Case files for the CPS: the prosecution file, its MG forms, attachments, the file standard
checklist, the review workflow and the outbound CPS exchange (issue 5)."""
