"""Test harness shared by every suite (loaded as a pytest plugin)."""
