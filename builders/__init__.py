"""agitprop: build annotated stance/propaganda datasets from news articles."""

__version__ = "0.1.0"
