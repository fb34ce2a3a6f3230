"""Central Asia between Russia, the EU and China: sourced facts, indicators and map layers."""

__version__ = "0.1.0"
