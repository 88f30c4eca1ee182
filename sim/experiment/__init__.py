"""The experiment layer: seeds, executors and the one way to run a simulation.

Everything that runs the model more than once sits on this layer: the runner
(replicated runs and comparisons), calibration, sweeps and the EMA adapter.
It imports the core model and nothing above it.
"""
