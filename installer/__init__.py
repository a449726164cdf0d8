"""Station's packaging: the PyInstaller spec, WiX sources, and the scripts that build and
check the bundle and the MSI (see installer/README.md)."""
