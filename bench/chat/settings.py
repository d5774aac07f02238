"""Settings for the chat benchmark's servers: development settings against the
bench database, DEBUG off, the Redis pub/sub layer under a prefix of its own
(pub/sub channels ignore Redis database numbers)."""

from b2bbank.settings.dev import *  # noqa: F403
from b2bbank.settings.dev import env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [env.str("REDIS_URL", default="redis://127.0.0.1:6379/7")],
            "prefix": env.str("B2BBANK_CHANNEL_PREFIX", default="b2bbank-bench"),
        },
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The bench's users send dozens of messages a second each (a load test, not people).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        **REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],  # noqa: F405
        "chat_send": "1000000/min",
    },
}
# BENCH_PUBLIC_PUBLISH=1: publish with group_send only (no Redis pipeline
# adapter), for the side-by-side row in docs/performance.md.
REALTIME_REDIS_PIPELINE = not env.bool("BENCH_PUBLIC_PUBLISH", default=False)
