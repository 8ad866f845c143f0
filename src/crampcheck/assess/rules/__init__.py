"""Assessment rules, one module per theme."""
