"""The one exception type for bad user input, and the warning for results that may mislead.

Anything a user can get wrong (a scenario name, a key, a value, a file, a flag)
raises :class:`UserError` with a short message whose first line says what is
wrong and what is allowed. The command line turns it into exit status 2 with no
traceback; the Python API lets it propagate.

As scikit-learn's ``InvalidParameterError`` is, it is both a ``ValueError`` and a
``TypeError``: code that guards a call with ``except ValueError`` (a bad value) or
``except TypeError`` (an argument of the wrong type) catches it without knowing
this package's exceptions.
"""


class UserError(ValueError, TypeError):
    """Bad input from a user: the message's first line names the problem and what is allowed."""


class SimWarning(UserWarning):
    """A result that may mislead (the command line prints it as ``workplace-sim: warning: ...``).

    It is a ``UserWarning``, so the usual filters apply:
    ``warnings.simplefilter("ignore", SimWarning)`` silences every one of them.
    """
