"""Reading and validating the configuration: TOML file + environment -> `Settings`.

Every problem is a `ConfigError` of one line naming the file, the line and the
key (or the environment variable), e.g.::

    newsmon.toml:14: sources[1].intervall: unknown key 'intervall' (did you mean 'interval'?)

Unknown keys are errors in every table, with a "did you mean" when one is close.
"""

from newsmon.config.load import ENV_OVERRIDES, from_mapping, load
from newsmon.settings import ConfigError

__all__ = ["ENV_OVERRIDES", "ConfigError", "from_mapping", "load"]
