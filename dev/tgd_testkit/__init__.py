"""The tests' support code (installed by ``scripts/setup.sh`` only, never in an image):
tokens for any role, fake services that answer the gateway with realistic shapes, the
OpenAPI fuzz driver (``tgd-dev fuzz``) and the pytest plugin of the token fixtures."""
