"""The operator console (console de régulation): see docs/console.md."""
