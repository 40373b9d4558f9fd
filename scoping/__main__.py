"""`python -m scoping` runs the command-line interface."""

from scoping.cli import main

main()
