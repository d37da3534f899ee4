"""Partner access: who calls (clients, tokens), what they may do (the access table),
and the record of what they did (audit)."""
