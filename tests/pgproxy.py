"""A TCP proxy in front of PostgreSQL that can simulate a server restart (every open
connection is cut and new ones are refused until it comes back) or a frozen server
(connections stay open and accepted, and nothing answers)."""

from __future__ import annotations

import socket
import threading
import time


class PgProxy:
    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.port = 0
        self._listener = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._running = False
        self._frozen = False

    def start(self) -> PgProxy:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._running = True
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()
        return self

    def restart_begins(self) -> None:
        """The server goes away: cut every connection, refuse new ones."""
        self._running = False
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for a, b in self._pairs:
                for s in (a, b):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    s.close()
            self._pairs.clear()

    def freeze(self) -> None:
        """The server stops answering, as under SIGSTOP: bytes are held, nothing is closed."""
        self._frozen = True

    def thaw(self) -> None:
        self._frozen = False

    def restart_ends(self) -> None:
        self.start()

    def stop(self) -> None:
        self._frozen = False
        if self._running:
            self.restart_begins()

    def _accept(self, listener) -> None:
        while self._running:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source, sink) -> None:
        try:
            while data := source.recv(65536):
                while self._frozen:
                    time.sleep(0.01)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
