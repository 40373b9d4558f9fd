"""scoping: say exactly which customers had which fields exposed in a personal-data breach."""

__version__ = "0.1.0"
