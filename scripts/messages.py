#!/usr/bin/env python3
"""Puts src/text/message/msg.rs back in key order, renumbered, with `ALL` rebuilt.

To add a message: write its `static` anywhere in src/text/message/msg.rs with any
index, add its words to every file under locales/, and run

    python3 scripts/messages.py && cargo fmt

A message's index is its place in key order, so one new message renumbers
every message after it; this does that. It changes nothing else: each
static keeps its doc comment, name, arity, key and arguments. The tests
check the result (`tests/locale.rs`: key order, every locale has every key).
"""

import pathlib
import re
import sys

PATH = pathlib.Path(__file__).resolve().parent.parent / "src" / "text" / "message" / "msg.rs"

# a doc comment, then `pub static NAME: Message<N> = Message::new(I, "key", &[...]);`
# (rustfmt may break the line after `=`)
ENTRY = re.compile(
    r"((?:///[^\n]*\n)+)"
    r"pub static ([A-Z0-9_]+): Message<(\d+)> =\s*"
    r"Message::new\(\s*\d+,\s*(\"[^\"]*\"),\s*(&\[[^\]]*\])\s*,?\s*\);\n"
)
ALL = re.compile(r"/// Every message, in key order\.\n.*?\];\n", re.S)


def main() -> int:
    text = PATH.read_text(encoding="utf-8")
    entries = ENTRY.findall(text)
    if not entries:
        print(f"{PATH}: no message found", file=sys.stderr)
        return 1
    first = ENTRY.search(text)
    last = list(ENTRY.finditer(text))[-1]
    head, tail = text[: first.start()], text[last.end() :]
    keys = [key for *_, key, _ in entries]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        print(f"{PATH}: keys listed twice: {', '.join(repeated)}", file=sys.stderr)
        return 1
    entries.sort(key=lambda e: e[3].encode("utf-8"))
    body = "\n".join(
        f"{doc}pub static {name}: Message<{arity}> = Message::new({i}, {key}, {args});\n"
        for i, (doc, name, arity, key, args) in enumerate(entries)
    )
    listing = "".join(f"    &{name}.0,\n" for _, name, *_ in entries)
    all_block = (
        "/// Every message, in key order.\n"
        f"pub(super) static ALL: [&MessageDef; {len(entries)}] = [\n{listing}];\n"
    )
    tail, found = ALL.subn(lambda _: all_block, tail)
    if found != 1:
        print(f"{PATH}: the `ALL` array was not found after the messages", file=sys.stderr)
        return 1
    PATH.write_text(head + body + tail, encoding="utf-8")
    print(f"{PATH}: {len(entries)} messages in key order")
    return 0


if __name__ == "__main__":
    sys.exit(main())
