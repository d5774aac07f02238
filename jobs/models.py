"""The queue itself is procrastinate's tables (procrastinate.contrib.django.models)."""
