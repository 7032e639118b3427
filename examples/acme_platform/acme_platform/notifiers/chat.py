"""Notifier that posts task and DAG outcomes to the team chat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from acme_platform._compat import BaseNotifier

if TYPE_CHECKING:
    from airflow.sdk import Context


class TeamChatNotifier(BaseNotifier):
    """
    Post a message to a team chat channel, for example when a task fails.

    The message is a Jinja template rendered with the callback's context, so it can name the DAG,
    the task and the run. It is posted as ``{"channel": ..., "text": ...}`` JSON to ``endpoint``
    through the HTTP provider's ``HttpHook``. Where that provider is not installed the notifier
    logs a warning instead, so that a missing chat never hides the original failure.

    Use it as a callback::

        on_failure_callback=TeamChatNotifier(message="{{ ti.task_id }} failed on {{ ds }}")

    :param message: the text to post. Templated.
    :param channel: the channel to post in. Templated.
    :param http_conn_id: ID of the HTTP connection to the chat's API.
    :param endpoint: the path, relative to the connection's host, that accepts messages.
    """

    template_fields: Sequence[str] = ("message", "channel")

    def __init__(
        self,
        message: str,
        channel: str = "#data-platform",
        http_conn_id: str = "acme_team_chat_default",
        endpoint: str = "api/messages",
    ) -> None:
        super().__init__()
        self.message = message
        self.channel = channel
        self.http_conn_id = http_conn_id
        self.endpoint = endpoint

    def notify(self, context: Context) -> None:
        """
        Post the rendered message to the channel.

        :param context: the context of the callback that triggered the notification.
        """
        try:
            from airflow.providers.http.hooks.http import HttpHook
        except ImportError:
            self.log.warning(
                "apache-airflow-providers-http is not installed; not posting to %s: %s",
                self.channel,
                self.message,
            )
            return
        hook = HttpHook(method="POST", http_conn_id=self.http_conn_id)
        hook.run(self.endpoint, json={"channel": self.channel, "text": self.message})
