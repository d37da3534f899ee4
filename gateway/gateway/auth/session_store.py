"""Server-side registry of console sessions with the gateway (``console-sessions.json`` in
the gateway's data directory, shared by its processes like the other registries): the
session cookie names a session id, and a session lives only while its id is here. Logout
removes it; a password rotation or a disabled account ends it (checked against the
operator's record); it also ends at its maximum lifetime. The registry itself is
:class:`tgd_servicekit.session_registry.SessionRegistry`, which the console uses too."""

from tgd_servicekit.session_registry import SessionRegistry as SessionStore

__all__ = ["SessionStore"]
