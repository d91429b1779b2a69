"""Development: the embedded run of `make run`."""

from cms.settings.base import *  # noqa: F403
from cms.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
