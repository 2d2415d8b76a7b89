"""netbalance: network with intention. Importing this package must not import textual."""

__version__ = "0.1.0"
