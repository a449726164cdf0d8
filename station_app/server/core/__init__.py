"""What every server feature shares: settings, database, identity, audit trail, reference
data, dependencies, problems, versions, links and the app factory. It never imports a feature."""
