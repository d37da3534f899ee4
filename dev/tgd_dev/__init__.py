"""The ``tgd-dev`` command line: tooling for developing TGD, never shipped in an image."""
