"""Command groups that load a command's module only when that command runs (click's own
"lazily loading subcommands" pattern), so that ``csfinder harvest`` — which the scheduler
starts as a child process for every run — imports the harvest path and nothing else.

Commands are named by ``"module:attribute"``; packages add commands under an entry-point
group (the portal's ``serve`` and ``bench portal``), loaded the same way."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import click


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use."""

    def __init__(
        self,
        *args: Any,
        lazy_commands: Mapping[str, str] | None = None,
        plugin_group: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})
        self.plugin_group = plugin_group

    def _plugins(self) -> dict[str, EntryPoint]:
        if self.plugin_group is None:
            return {}
        return {entry.name: entry for entry in entry_points(group=self.plugin_group)}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, loaded or not."""
        names = set(super().list_commands(ctx)) | set(self.lazy_commands) | set(self._plugins())
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command, its module imported now if it was not yet."""
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name in self.lazy_commands:
            command = _load(self.lazy_commands[cmd_name])
        else:
            plugin = self._plugins().get(cmd_name)
            if plugin is None:
                return None
            try:
                command = plugin.load()
            except ImportError as exc:  # a broken plugin must not take the command line down
                click.echo(f"csfinder: command '{cmd_name}' unavailable: {exc}", err=True)
                return None
        if not isinstance(command, click.Command):
            raise TypeError(f"{cmd_name} names {command!r}, not a click command")
        self.add_command(command, cmd_name)
        return command


def _load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)
