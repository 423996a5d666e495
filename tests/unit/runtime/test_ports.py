"""Ports for the servers we start: free now, below the range clients' source ports come from, never twice."""

from __future__ import annotations

import socket

from learnflow.local._process import bindable, free_port, free_port_block


def _ephemeral_low() -> int:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        return int(f.read().split()[0])


def test_ports_handed_out_in_a_row_never_repeat_or_overlap_though_none_is_bound_yet() -> None:
    given: list[int] = []
    for _ in range(40):
        given.append(free_port())
        base = free_port_block(4)
        given.extend(range(base, base + 4))
    assert len(given) == len(set(given))


def test_ports_come_from_below_the_ephemeral_range() -> None:
    base = free_port_block(4)
    assert base + 3 < _ephemeral_low()
    assert free_port() < _ephemeral_low()


def test_a_port_a_server_listens_on_is_not_bindable_and_a_free_one_is() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", free_port()))
        listener.listen()
        assert not bindable("127.0.0.1", listener.getsockname()[1])
    assert bindable("127.0.0.1", free_port())
