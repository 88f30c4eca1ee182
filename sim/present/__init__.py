"""Presentation shared by the command line, the dashboard and the reports: progress, formatting.

The library may use it; it never imports ``sim.cli`` or ``sim.dashboard``.
"""
