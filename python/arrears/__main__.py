"""``python -m arrears`` is the ``arrears`` command."""

from arrears.cli import main

main()
