"""Who is signed in at this workstation: one object, one typed event each way.

The shell starts and ends the session; everything else listens. `signed_in` carries the
`UserInfo` the core system gave for the officer (never a bare user name), `signed_out`
says the officer has gone and nothing of theirs may stay on screen for the next one.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from station_app.services.auth import UserInfo


class UserSession(QObject):
    signed_in = Signal(UserInfo)
    """The officer who signed in (or whose saved sign-in the core system confirmed)."""
    signed_out = Signal()
    """The officer signed out, or their session ended; the next user starts afresh."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._user: UserInfo | None = None

    @property
    def user(self) -> UserInfo | None:
        return self._user

    @property
    def active(self) -> bool:
        return self._user is not None

    def begin(self, user: UserInfo) -> None:
        """Called by the shell once the core system has said who this is."""
        if self._user is not None and self._user != user:
            self.end()
        changed = self._user != user
        self._user = user
        if changed:
            self.signed_in.emit(user)

    def end(self) -> None:
        """Called by the shell at sign-out or when the session has ended on the server."""
        if self._user is None:
            return
        self._user = None
        self.signed_out.emit()
