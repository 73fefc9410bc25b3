"""`python -m rpa` is the same as the `katip` command."""

from rpa.cli import main

if __name__ == "__main__":
    main()
