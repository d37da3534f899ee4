"""The ``tgd`` command line."""
