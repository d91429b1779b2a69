"""Is a string a plain decimal number? ``str.isdigit()`` alone is not enough.

``"᧚".isdigit()`` is true, yet ``int("᧚")`` raises: parsers that checked with
``isdigit()`` and then called ``int()`` answered some inputs with a 500 (found by
``tests/fuzz``). Every such parser asks :func:`ascii_digits` instead.
"""


def ascii_digits(value: str) -> bool:
    """True for a non-empty string of the digits 0–9 only."""
    return value.isascii() and value.isdigit()
