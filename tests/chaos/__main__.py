"""`python -m tests.chaos [options]`: the same as `katip chaos [options]` (see `katip chaos --help`)."""

import sys

from rpa.cli import main

if __name__ == "__main__":
    sys.argv = ["katip", "chaos", *sys.argv[1:]]
    main()
