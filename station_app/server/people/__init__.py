"""People (nominals): one person across incidents, custody, case files and court."""
