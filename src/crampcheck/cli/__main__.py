"""``python -m crampcheck.cli`` runs the ``crampcheck`` command."""

from . import main

main()
