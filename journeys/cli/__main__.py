"""``python -m journeys.cli``: the command line, as the ``journeys`` script runs it."""

from journeys.cli import main

main()
