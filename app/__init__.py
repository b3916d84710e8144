"""CoopDesk domain package: everything except the Qt user interface."""

__version__ = "0.1.0"
