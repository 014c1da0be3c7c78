"""Code that only the tests, tools and benchmarks use: strict builds of copies, the browser.

Not part of the kb package (the Sphinx extensions). The tests import it as
``support``; tools/ and benchmarks/ get ``tests`` on their path from the Makefile.
"""
