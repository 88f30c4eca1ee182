import subprocess
import sys

import sim


def test_top_level_api_is_lazy_and_complete():
    for name in sim.__all__:
        assert getattr(sim, name) is not None
    code = "import sys, sim; print('pandas' in sys.modules, 'mesa' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_command_line_entry_point_lists_commands():
    out = subprocess.run(
        [sys.executable, "-m", "sim", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("run", "compare", "scenarios", "validate"):
        assert command in out.stdout
