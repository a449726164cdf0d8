"""The Custody tab: the custody board, booking in, the custody record and its forms."""
