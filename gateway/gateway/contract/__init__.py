"""The partner-facing contract of the HTTP API: operation ids, the OpenAPI rules that
generated clients rely on, idempotent POSTs and the offline documentation."""
