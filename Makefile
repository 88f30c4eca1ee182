# The two commands of the README's quick start, and a few conveniences.
.PHONY: demo test lint bench clean

# Set up .venv and run the main job: every bundled scenario compared, report in
# results/compare/ (replaced by the next `make demo`).
demo:
	scripts/setup
	.venv/bin/workplace-sim compare --out results/compare --force

# Set up .venv with the test tools (and headless Chromium) and run the whole test suite,
# spread over the machine's cores (at most 4 processes: many tests start processes of their own),
# and list the 15 slowest, which set how long CI takes.
test:
	scripts/setup --test
	.venv/bin/python -m pytest --numprocesses auto --maxprocesses 4 --durations 15

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

bench:
	.venv/bin/python benchmarks/core_benchmark.py

clean:
	rm -rf .venv results .pytest_cache .ruff_cache .hypothesis
