"""The Reference tab: browse and search the cached reference datasets."""
