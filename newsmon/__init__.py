"""newsmon: watch live blogs and feeds, alert once when something new and important happens."""

__version__ = "0.1.0"
