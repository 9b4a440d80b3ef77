#!/usr/bin/env python
"""Django's command-line utility for a development checkout; `trygg` (the installed console command)
does the same. In a checkout it runs in demo mode (the demo secret key allowed) unless TRYGG_DEMO is set;
a deployment runs `trygg` or the WSGI application, where the demo key is refused."""

import os

from trygg.cli import main

if __name__ == "__main__":
    os.environ.setdefault("TRYGG_DEMO", "1")
    main()
