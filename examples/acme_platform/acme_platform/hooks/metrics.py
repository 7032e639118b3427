"""Hook to the ACME metrics endpoint, a DogStatsD-compatible UDP listener."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from typing import Any

from acme_platform._compat import BaseHook

DEFAULT_PORT = 8125
"""Port of the metrics listener when the connection gives none (the StatsD convention)."""

# StatsD uses ':', '|', '@' and '#' as separators and ',' between tags.
_FORBIDDEN = re.compile(r"[:|@#,\s]")


class MetricsHook(BaseHook):
    """
    Emit platform metrics to the ACME metrics endpoint, a DogStatsD-compatible UDP listener.

    Each call to :meth:`emit` sends one gauge datagram::

        <prefix><name>:<value>|g|#<tag>:<value>,<tag>:<value>

    The connection gives the listener's host and port (port 8125 if empty). Its optional
    ``prefix`` extra, such as ``acme.``, is put before every metric name so that all of a team's
    metrics share one namespace. UDP is fire-and-forget: a metric sent while the listener is down
    is lost without an error.

    :param metrics_conn_id: ID of the ``acme_metrics`` connection to emit through.
    """

    conn_name_attr = "metrics_conn_id"
    default_conn_name = "acme_metrics_default"
    conn_type = "acme_metrics"
    hook_name = "ACME Metrics"

    def __init__(self, metrics_conn_id: str = default_conn_name, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics_conn_id = metrics_conn_id
        self._endpoint: tuple[str, int, str] | None = None

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Return how the connection form hides and prefills the standard fields."""
        return {
            "hidden_fields": ["schema", "login", "password"],
            "relabeling": {},
            "placeholders": {
                "host": "metrics.acme.internal",
                "port": str(DEFAULT_PORT),
                "extra": '{"prefix": "acme."}',
            },
        }

    def get_conn(self) -> tuple[str, int, str]:
        """Return the listener's host, port and metric prefix, read once from the connection."""
        if self._endpoint is None:
            conn = self.get_connection(self.metrics_conn_id)
            if not conn.host:
                raise ValueError(f"Connection {self.metrics_conn_id!r} has no host.")
            prefix = str(conn.extra_dejson.get("prefix", ""))
            self._endpoint = (conn.host, conn.port or DEFAULT_PORT, prefix)
        return self._endpoint

    def test_connection(self) -> tuple[bool, str]:
        """Check that the listener's host name resolves; UDP cannot confirm that it listens."""
        try:
            host, port, _ = self.get_conn()
            socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        except (OSError, ValueError) as err:
            return False, str(err)
        return True, f"{host}:{port} resolves; metrics will be sent there over UDP."

    def emit(self, name: str, value: float, tags: Mapping[str, str] | None = None) -> str:
        """
        Send one gauge to the metrics listener and return the datagram that was sent.

        :param name: metric name, such as ``ingest.customers.rows``; the connection's prefix is
            put before it.
        :param value: the gauge's value.
        :param tags: dimensions of the metric, such as ``{"domain": "sales"}``.
        :raises ValueError: if the name or a tag contains a StatsD separator or whitespace.
        """
        host, port, prefix = self.get_conn()
        datagram = f"{_checked('metric name', prefix + name)}:{float(value):.15g}|g"
        if tags:
            datagram += "|#" + ",".join(
                f"{_checked('tag', key)}:{_checked('tag value', str(tag_value))}"
                for key, tag_value in sorted(tags.items())
            )
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0]
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.sendto(datagram.encode("utf-8"), address)
        self.log.debug("Sent %s to %s:%s", datagram, host, port)
        return datagram


def _checked(what: str, text: str) -> str:
    """Return ``text`` unchanged, or raise if StatsD would misread it."""
    if not text or _FORBIDDEN.search(text):
        raise ValueError(f"{what} {text!r} is empty or contains ':', '|', '@', '#', ',' or spaces.")
    return text
