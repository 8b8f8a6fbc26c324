"""Compatibility with other toolkits' files and names."""
