#!/usr/bin/env python
"""Django's command-line utility; `trygg` (the installed console command) does the same."""

from trygg.cli import main

if __name__ == "__main__":
    main()
