"""The workshop dashboard (Solara app): ``workplace-sim dashboard``."""
