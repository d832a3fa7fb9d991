"""The BGP finite state machine's states and events, with RFC 4271 section 8 names.

A `Session` covers one TCP connection: it starts in CONNECT (we opened the connection) or ACTIVE
(the peer did), and ends in IDLE. Connecting, retrying with back-off and choosing between
colliding connections are the reactor's, helped by `backoff` and `collision`.
"""

from enum import Enum


class State(Enum):
    IDLE = 'idle'
    CONNECT = 'connect'
    ACTIVE = 'active'
    OPENSENT = 'opensent'
    OPENCONFIRM = 'openconfirm'
    ESTABLISHED = 'established'

    def __str__(self) -> str:
        return self.name


class Event(Enum):
    """Inputs of the transition table (RFC 4271 8.1 event names)."""

    MANUAL_STOP = 'ManualStop'
    TCP_CR_ACKED = 'Tcp_CR_Acked'  # the connection we opened is up
    TCP_CONNECTION_CONFIRMED = 'TcpConnectionConfirmed'  # the connection the peer opened is up
    TCP_CONNECTION_FAILS = 'TcpConnectionFails'
    HOLD_TIMER_EXPIRES = 'HoldTimer_Expires'
    KEEPALIVE_TIMER_EXPIRES = 'KeepaliveTimer_Expires'
    OPEN_WAIT_EXPIRES = 'OpenWait_Expires'
    SEND_HOLD_TIMER_EXPIRES = 'SendHoldTimer_Expires'
    BGP_OPEN = 'BGPOpen'
    KEEPALIVE_MSG = 'KeepAliveMsg'
    UPDATE_MSG = 'UpdateMsg'
    NOTIF_MSG = 'NotifMsg'
    ROUTE_REFRESH_MSG = 'RouteRefreshMsg'
    OPERATIONAL_MSG = 'OperationalMsg'
