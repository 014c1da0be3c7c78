"""Build benchmarks for the knowledge base (`make bench`); see benchmarks/run.py."""
