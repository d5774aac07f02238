"""Test settings for server processes that share events through Redis (the
two-process test). The prefix keeps these tests' pub/sub channels apart from
anything else on the same Redis (pub/sub ignores database numbers)."""

from b2bbank.settings.test import *  # noqa: F403
from b2bbank.settings.test import env

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [env.str("REDIS_URL", default="redis://127.0.0.1:6379/6")],
            "prefix": env.str("B2BBANK_CHANNEL_PREFIX", default="b2bbank-test"),
        },
    }
}
