"""The version of sandyq, in one place: the package, the store's load records, the CLI and the build read it."""

__all__ = ["__version__"]

__version__ = "0.1.0"
