"""The `newsmon` command line: one module per command (see `newsmon.cli.main`).

The entry point is ``newsmon = "newsmon.cli:main"``.
"""

from newsmon.cli.main import main

__all__ = ["main"]
