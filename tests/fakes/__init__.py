"""Hand-written fakes for tests: local servers that speak the platforms' documented APIs."""
