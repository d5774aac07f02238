"""Count round trips to Redis, for tests that pin how many a path takes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest


@contextmanager
def recording_round_trips(client: Any) -> Iterator[list[list[str]]]:
    """Within the block, every round trip made through redis-py clients of
    `client`'s class is appended: a pipeline as the names of its commands, a
    single command as a one-name list."""
    pipeline_class, client_class = type(client.pipeline()), type(client)
    execute, execute_command = pipeline_class.execute, client_class.execute_command
    trips: list[list[str]] = []

    def pipeline_trip(self: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append([str(command[0][0]) for command in self.command_stack])
        return execute(self, *args, **kwargs)

    def single_trip(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(self, pipeline_class):
            trips.append([str(args[0])])
        return execute_command(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline_class, "execute", pipeline_trip)
        patch.setattr(client_class, "execute_command", single_trip)
        yield trips
