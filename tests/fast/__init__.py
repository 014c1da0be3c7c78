"""The fast, in-process test tier (make test-fast); a package so its conftest does not shadow tests/conftest.py."""
