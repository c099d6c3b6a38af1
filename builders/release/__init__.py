"""Release: documents → parquet configs + a dataset card under ``<out>/<name>/<version>/``."""

from builders.release.features import CONFIGS, config_features
from builders.release.writer import ReleaseWriter

__all__ = ["CONFIGS", "ReleaseWriter", "config_features"]
