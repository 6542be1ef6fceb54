"""A TCP proxy between tills and PostgreSQL that fails as networks fail (issue 18.2's proof):
`pass` forwards; `refuse` resets every connection and every new one (a server or router
restarting: the client hears RST at once); `blackhole` holds every byte and answers nothing
(a cable pulled, a Wi-Fi gone: no RST, ever — the case a client waits forever on); a delay
slows each chunk (a link that answers, too late); `lose` passes requests and drops each answer
with a probability, resetting the connection (the server did the work, the client never
hears: a lost acknowledgement when the answer was a COMMIT's). Bytes held in a blackhole are
delivered when it passes again: an answer that arrives after the client gave up on it."""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "pass"
        self.delay = 0.0
        self.loss = 0.0  # in `lose`: the share of answers dropped
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    def set(self, mode: str, delay: float = 0.0, loss: float = 0.0) -> None:
        assert mode in ("pass", "refuse", "blackhole", "lose"), mode
        self.mode, self.delay, self.loss = mode, delay, loss
        if mode == "refuse":
            with self._lock:
                socks, self._socks = self._socks, []
            for s in socks:
                _reset(s)

    def close(self) -> None:
        self._closed = True
        self.set("refuse")
        with contextlib.suppress(OSError):
            self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _addr = self.listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._socks += [client, upstream]
            for src, dst, answers in ((client, upstream, False), (upstream, client, True)):
                threading.Thread(target=self._pump, args=(src, dst, answers), daemon=True,
                                 name="proxy-pump").start()

    def _pump(self, src: socket.socket, dst: socket.socket, answers: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                while self.mode == "blackhole" and not self._closed:
                    time.sleep(0.02)  # held: nothing goes through, nothing is refused
                if self.mode == "refuse":
                    break
                if answers and self.mode == "lose" and random.random() < self.loss:
                    break  # the answer never arrives; both ends are reset
                if self.delay:
                    time.sleep(self.delay)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _reset(src)
            _reset(dst)


def _reset(sock: socket.socket) -> None:
    """Close with RST, as a restarting server or a router that forgot the flow does. The
    shutdown first: a close alone leaves a socket open while another thread still waits in
    its recv (Linux), and that end would never hear of it."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
