"""Benchmark settings: production settings plus a URLconf that adds a plain
Django JSON "hello" view, the baseline the directory is compared against.
The hello view exists only here, never in the product's URLs."""

from b2bbank.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.directory.urls"
