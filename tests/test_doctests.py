"""The examples in the core modules' docstrings run as written."""

import doctest

import pytest

import sim.model
import sim.params


@pytest.mark.parametrize("module", [sim.params, sim.model])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
