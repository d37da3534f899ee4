"""Helpers for tests (and ``tgd fuzz``): tokens for any role, fake services that
answer with realistic shapes. Never used by the running gateway."""
