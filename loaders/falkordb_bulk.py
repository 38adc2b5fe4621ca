"""FalkorDB's ``GRAPH.BULK`` format: nodes and edges as binary records.

``GRAPH.BULK graph [BEGIN] node_count edge_count node_tokens edge_tokens blob...``
creates nodes and edges without parsing Cypher. Each blob describes one label
(or ``Label:Label`` for several) or one relationship type: its name and its
property keys, NUL-terminated, then one record per node (a typed value per
key) or per edge (source and destination node ids, then the values). Nodes get
the next free ids in the order they are sent, which is how edges sent later
refer to them. The format is documented at
https://docs.falkordb.com/design/bulk_spec.html.

Example:
    >>> bulk = BulkInsert(first_id=10)
    >>> bulk.node("Entity:Person", ("id", "name"), ("p1", "Ada")), bulk.node("Article", ("id",), ("a1",))
    (10, 11)
    >>> bulk.edge("MENTIONS", (), 11, 10, ())
    >>> bulk.links("FROM", [10], [11])
    >>> [cmd[:4] for cmd in bulk.commands()]
    [[2, 0, 2, 0], [0, 2, 0, 2]]
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import chain
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["BulkInsert", "encode", "record", "strings_record", "lists_record", "fixed"]

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = range(6)
_LONG_VALUE = struct.Struct("<Bq")
_DOUBLE_VALUE = struct.Struct("<Bd")
_ENDS = struct.Struct("<QQ")
_COUNT = struct.Struct("<I")

BLOB_BYTES = 32 * 2**20  # well under the server's 512 MB per argument
COMMAND_BYTES = 128 * 2**20  # well under its 1 GB per command


def encode(value: Any) -> bytes:
    """One property value as a typed record.

    Example:
        >>> encode("hé"), encode(None), encode(True), encode(["a"])[:1]
        (b'\\x03h\\xc3\\xa9\\x00', b'\\x00', b'\\x01\\x01', b'\\x05')
    """
    if value is None:
        return b"\x00"
    if isinstance(value, bool):
        return bytes((_BOOL, value))
    if isinstance(value, int):
        return _LONG_VALUE.pack(_LONG, value)
    if isinstance(value, float):
        return _DOUBLE_VALUE.pack(_DOUBLE, value)
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(f"a NUL character cannot be stored: {value[:60]!r}")
        return b"\x03" + value.encode("utf-8") + b"\x00"
    if isinstance(value, (list, tuple)):
        return _LONG_VALUE.pack(_ARRAY, len(value)) + b"".join(encode(v) for v in value)
    raise TypeError(f"a {type(value).__name__} cannot be stored as a property")


_LIST_HEADS = tuple("\x05" + chr(n) + "\x00" * 7 for n in range(128))  # ARRAY, int64 length < 128
_TAGS = frozenset(("\x00", "\x03", *_LIST_HEADS))


def record(values: Sequence[Any]) -> bytes:
    """The typed records of several values, as ``b"".join(map(encode, values))`` but faster:
    strings, nulls and short lists of strings (nearly every value here) are joined as one
    text and encoded once, since their type and length bytes are ASCII.

    Example:
        >>> values = ["a", None, ["x", "y"], [], 3, 0.5, True, "é"]
        >>> record(values) == b"".join(encode(v) for v in values)
        True
    """
    out: list[bytes] = []
    text: list[str] = []
    nuls = 0  # NUL bytes the text should hold: more means a value held one
    for v in values:
        kind = type(v)
        if v is None:
            text.append("\x00")
            nuls += 1
        elif kind is str:
            text += ("\x03", v, "\x00")
            nuls += 1
        elif kind is list and len(v) < 128 and all(type(x) is str for x in v):
            text.append(_LIST_HEADS[len(v)])
            nuls += 7 + (not v) + len(v)
            for x in v:
                text += ("\x03", x, "\x00")
        else:
            if text:
                out.append(_text(text, nuls))
                text, nuls = [], 0
            out.append(encode(v))
    if text:
        out.append(_text(text, nuls))
    return out[0] if len(out) == 1 else b"".join(out)


def strings_record(strings: Sequence[str], rest: Sequence[Any] = (),
                   pack: Callable[[Sequence[Any]], bytes] | None = None) -> bytes:
    """``record([*strings, *rest])`` for non-null strings, joined in one call; ``pack``
    encodes ``rest`` if given (see :func:`fixed`).

    Example:
        >>> strings_record(["a", "b"], [1]) == record(["a", "b", 1])
        True
    """
    text = "\x03" + "\x00\x03".join(strings) + "\x00" if strings else ""
    if text.count("\x00") != len(strings):
        return record([*strings, *rest])  # raises for the NUL
    if not rest:
        return text.encode("utf-8")
    if pack is not None:
        return text.encode("utf-8") + pack(rest)
    kinds = "".join([_KINDS.get(type(v), "x") for v in rest])
    packer = _PACKERS.get(kinds)
    if packer is None:
        packer = _PACKERS[kinds] = fixed(kinds) if "x" not in kinds else record
    return text.encode("utf-8") + packer(rest)


def lists_record(lists: Sequence[Sequence[str]], texts: Sequence[str | None] = (),
                 tail: bytes = b"") -> bytes:
    """``record([*lists, *texts])`` for lists of strings and then strings or nulls, joined in
    one call, followed by ``tail`` (already encoded values, see :func:`fixed`).

    Example:
        >>> lists_record([["a", "b"], []], [None, "x"]) == record([["a", "b"], [], None, "x"])
        True
    """
    try:
        text = "".join([_LIST_HEADS[len(v)] + "\x03" + "\x00\x03".join(v) + "\x00" if v
                        else _LIST_HEADS[0] for v in lists]
                       + ["\x03" + v + "\x00" if v is not None else "\x00" for v in texts])
    except (TypeError, IndexError):  # not strings, or a long list
        return record([*lists, *texts]) + tail
    empty = list(map(bool, lists)).count(False)
    if text.count("\x00") != 7 * len(lists) + sum(map(len, lists)) + empty + len(texts):
        return record([*lists, *texts]) + tail  # raises for the NUL
    return text.encode("utf-8") + tail


_KINDS = {int: "q", float: "d", bool: "?"}
_PACKERS: dict[str, Callable[..., bytes]] = {}


def fixed(kinds: str) -> Callable[[Sequence[Any]], bytes]:
    """A packer of a sequence of non-null numbers and booleans, ``kinds`` one letter each:
    ``q`` integer, ``d`` float, ``?`` boolean.

    Example:
        >>> fixed("q?d")((3, True, 0.5)) == record([3, True, 0.5])
        True
    """
    tags = {"q": _LONG, "d": _DOUBLE, "?": _BOOL}
    pack = struct.Struct("<" + "".join("B" + k for k in kinds)).pack
    prefix = [tags[k] for k in kinds]
    return lambda values: pack(*chain.from_iterable(zip(prefix, values)))


def _text(parts: list[str], nuls: int) -> bytes:
    joined = "".join(parts)
    if joined.count("\x00") != nuls:
        bad = next((p for p in parts if "\x00" in p and p not in _TAGS), "")
        raise ValueError(f"a NUL character cannot be stored: {bad[:60]!r}")
    return joined.encode("utf-8")


def _header(name: str, keys: Sequence[str]) -> bytes:
    return (name.encode("utf-8") + b"\x00" + _COUNT.pack(len(keys))
            + b"".join(k.encode("utf-8") + b"\x00" for k in keys))


class _Blob:
    def __init__(self, name: str, keys: Sequence[str]) -> None:
        self.name, self.keys = name, tuple(keys)
        self.parts = [_header(name, keys)]
        self.size = len(self.parts[0])
        self.count = 0

    def add(self, record: bytes) -> None:
        self.parts.append(record)
        self.size += len(record)
        self.count += 1

    def data(self) -> bytes:
        return b"".join(self.parts)


class BulkInsert:
    """Nodes and edges collected for ``GRAPH.BULK``, nodes numbered from ``first_id``.

    Node ids are assigned in the order :meth:`node` is called, which is the
    order the server creates them, provided the graph has no free ids (no
    deleted nodes) when the commands run.
    """

    def __init__(self, first_id: int) -> None:
        self.next_id = first_id
        self._nodes: list[_Blob] = []  # in id order
        self._edges: list[_Blob] = []
        self._open_edges: dict[tuple[str, tuple[str, ...]], _Blob] = {}  # edge order is free

    def __len__(self) -> int:
        return sum(b.count for b in self._nodes) + sum(b.count for b in self._edges)

    def node(self, labels: str, keys: Sequence[str], values: Sequence[Any] | bytes) -> int:
        """Add a node (``labels`` like ``Entity:Person``) and return the id it will get;
        ``values`` in the order of ``keys``, or already encoded (:func:`record`)."""
        last = self._nodes[-1] if self._nodes else None
        if last is None or last.name != labels or last.keys != tuple(keys) or last.size > BLOB_BYTES:
            last = _Blob(labels, keys)
            self._nodes.append(last)
        last.add(values if isinstance(values, bytes) else record(values))
        self.next_id += 1
        return self.next_id - 1

    def edge(self, rel: str, keys: Sequence[str], src: int, dst: int, values: Sequence[Any] | bytes) -> None:
        """Add an edge of type ``rel`` between two node ids (``values`` as for :meth:`node`)."""
        keys = keys if type(keys) is tuple else tuple(keys)
        blob = self._open_edges.get((rel, keys))
        if blob is None or blob.size > BLOB_BYTES:
            blob = self._open_edges[(rel, keys)] = _Blob(rel, keys)
            self._edges.append(blob)
        blob.add(_ENDS.pack(src, dst) + (values if isinstance(values, bytes) else record(values)))

    def links(self, rel: str, sources: Sequence[int], targets: Sequence[int]) -> None:
        """Add edges of type ``rel`` without properties, ``sources[i] -> targets[i]``."""
        step = BLOB_BYTES // _ENDS.size
        for i in range(0, len(sources), step):
            ends = array("Q", bytes(16 * len(sources[i:i + step])))
            ends[0::2] = array("Q", sources[i:i + step])
            ends[1::2] = array("Q", targets[i:i + step])
            if sys.byteorder != "little":
                ends.byteswap()
            blob = _Blob(rel, ())
            blob.parts.append(ends.tobytes())
            blob.size += 16 * (len(ends) // 2)
            blob.count = len(ends) // 2
            self._edges.append(blob)

    def commands(self) -> Iterator[list[Any]]:
        """Arguments after ``GRAPH.BULK graph [BEGIN]``: every node command before any edge one."""
        for blobs, is_node in ((self._nodes, True), (self._edges, False)):
            group: list[_Blob] = []
            size = 0
            for blob in blobs + [None]:  # type: ignore[list-item]
                if group and (blob is None or size + blob.size > COMMAND_BYTES):
                    count = sum(b.count for b in group)
                    counts = [count, 0, len(group), 0] if is_node else [0, count, 0, len(group)]
                    yield counts + [b.data() for b in group]
                    group, size = [], 0
                if blob is not None:
                    group.append(blob)
                    size += blob.size
