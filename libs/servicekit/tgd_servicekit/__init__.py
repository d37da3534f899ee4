"""TGD service kit: infrastructure shared by every service (no business rules).

- :mod:`aggregate`: the one use-case algorithm (load, rule, write with the outbox, publish, retry)
- :mod:`timers`: the clock, timers configured at setup, the outbox-relay timer
- :mod:`requests`: ``parse``/``check_id`` of RPC arguments (``InvalidRequest``)
- :mod:`mongo`: the mongoengine dependency provider (mongomock when no URI is set)
- :mod:`dispatch`: publishes CloudEvent envelopes with confirms and trace context
- :mod:`handlers`: the entrypoint that consumes envelopes (quorum queue + dead letters)
- :mod:`tracing`: one function that sets up OpenTelemetry for a process
- :mod:`runner`: ``tgd-service NAME`` starts one service
- :mod:`testing`: the pytest plugin with the broker and database fixtures
- :mod:`web_settings`, :mod:`login_throttle`, :mod:`session_registry`, :mod:`shared_json_file`: what the
  gateway and the console share (settings base, login throttle, sessions, the locked JSON registries)
"""
