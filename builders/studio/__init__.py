"""A local Label Studio server for annotators: install, start, stop, credentials."""

from builders.studio.server import StudioHome, StudioServerError

__all__ = ["StudioHome", "StudioServerError"]
