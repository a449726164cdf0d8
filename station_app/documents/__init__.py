"""Station's printed documents (reportlab): the victim's letter, the custody forms and the
case-file bundle, each built from plain data in one shared page frame (`pdf`). No widgets
and no network: a view builds a document on a worker and previews it."""
