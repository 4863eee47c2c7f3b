"""The policy engine: the condition language, the catalog loader, and the two evaluators."""
