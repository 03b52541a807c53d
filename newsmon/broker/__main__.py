"""``python -m newsmon.broker start|stop|status [--port N] [--data-dir D]``."""

import sys

from newsmon.broker.manager import main

sys.exit(main())
