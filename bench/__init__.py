"""Province-scale benchmark: a synthetic upload generator and the `make bench` runner."""
