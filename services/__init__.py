"""Domain functions: each one unit of work that checks the rules and records the outcome."""
