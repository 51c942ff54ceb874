#!/usr/bin/env python3
"""Checks that code in SeparaKit crosses no line that the README does not draw.

    scripts/check-layers.py [--rules FILE] [--root DIR] [--used] [--no-cycle-check]

The rules are the table in README.md's `## Development` section whose header row is
`| room | holds | may use |`: one row per room (a top-level folder of Sources/SeparaKit), with the
comma-separated rooms it may use (`—`, `-` or empty for none).

Problems reported (one per line, then a summary line):
  - a Swift file in room R naming a top-level declaration of room O when the table draws no R → O;
  - a top-level name declared in two rooms;
  - SQL statement text in a string literal outside room Store (SeparaKit and the CLI);
  - `import GRDB` / `import GRDBSQLite` in SeparaKit outside room Store, or anywhere in Sources/separa;
  - a `sqlite3_` call outside Sources/SeparaKit/Store/SQLiteColumns.swift;
  - a room folder with Swift files but no row, a row or an arrow naming a room with no folder,
    a Swift file directly in Sources/SeparaKit (in no room), and a cycle among the drawn arrows.

Options:
  --rules FILE      markdown file holding the table (default: README.md under --root)
  --root DIR        repository root (default: the parent of this script's folder)
  --used            also print the arrows the code actually uses (ROOM → OTHER: count)
  --no-cycle-check  do not report cycles among the drawn arrows

Exit status: 0 no problem, 1 problems found, 2 usage error (missing file or folder).
"""

import argparse
import bisect
import os
import re
import sys
from collections import defaultdict

KIT = "Sources/SeparaKit"
CLI = "Sources/separa"
STORE_ROOM = "Store"
SQLITE_FILE = "Sources/SeparaKit/Store/SQLiteColumns.swift"
HEADER = ["room", "holds", "may use"]
ARROW = "→"

DECL_KEYWORDS = {"struct", "enum", "class", "actor", "protocol", "typealias", "func", "let", "var"}
TYPE_KEYWORDS = {"struct", "enum", "class", "actor", "protocol", "typealias"}
# Keywords after which an identifier is a name being declared (anywhere, any depth).
DECLARING = DECL_KEYWORDS | {"case", "associatedtype", "extension"}
MODIFIERS = {
    "public", "internal", "package", "private", "fileprivate", "open", "final", "static", "class",
    "nonisolated", "indirect", "dynamic", "lazy", "convenience", "required", "override", "mutating",
    "nonmutating", "weak", "unowned", "isolated", "consuming", "borrowing", "distributed", "prefix",
    "postfix", "infix",
}
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX|VIEW)"
    r"|DROP\s+TABLE|PRAGMA\s+\w+)",
    re.IGNORECASE | re.DOTALL,
)

# ---------------------------------------------------------------------------------------------------
# Lexer: identifiers and punctuation of the code (comments dropped, string contents dropped but
# interpolations lexed as code), plus the text of every string literal.

CODE_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<line>//[^\n]*)
  | (?P<block>/\*)
  | (?P<string>(?P<hashes>\#*)(?P<quote>\"\"\"|\"))
  | (?P<regex>\#+/)
  | (?P<id>`[^`\n]+`|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z0-9_]+)
  | (?P<num>0[xX][0-9a-fA-F_]+(?:\.[0-9a-fA-F_]+)?(?:[pP][+-]?\d+)?|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)
  | (?P<range>\.\.\.|\.\.<)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class SwiftLexError(Exception):
    pass


class Lexed:
    def __init__(self, text):
        self.text = text
        self.tokens = []  # (kind, text, pos): kind "id" or "p"
        self.strings = []  # (contents with interpolations replaced by "_", pos)
        self._lines = [0] + [m.end() for m in re.finditer(r"\n", text)]
        end = self._code(0, inside_interpolation=False)
        if end != len(text):
            raise SwiftLexError("unbalanced ) at line %d" % self.line(end))

    def line(self, pos):
        return bisect.bisect_right(self._lines, pos)

    def _code(self, pos, inside_interpolation):
        text, n = self.text, len(self.text)
        depth = 0
        while pos < n:
            m = CODE_TOKEN.match(text, pos)
            kind = m.lastgroup
            if kind in ("hashes", "quote"):
                kind = "string"
            if kind == "ws" or kind == "line" or kind == "num":
                pos = m.end()
            elif kind == "block":
                pos = self._block_comment(m.end())
            elif kind == "string":
                pos = self._string(m.end(), len(m.group("hashes")), m.group("quote"), m.start())
            elif kind == "regex":
                close = "/" + "#" * (len(m.group()) - 1)
                end = text.find(close, m.end())
                pos = n if end < 0 else end + len(close)
            elif kind == "id":
                name = m.group()
                if name.startswith("`"):
                    name = name[1:-1]
                self.tokens.append(("id", name, m.start()))
                pos = m.end()
            elif kind == "range":
                self.tokens.append(("p", m.group(), m.start()))
                pos = m.end()
            else:
                c = m.group()
                if inside_interpolation:
                    if c == "(":
                        depth += 1
                    elif c == ")":
                        if depth == 0:
                            return m.end()
                        depth -= 1
                self.tokens.append(("p", c, m.start()))
                pos = m.end()
        if inside_interpolation:
            raise SwiftLexError("unterminated string interpolation")
        return pos

    def _block_comment(self, pos):
        text, depth = self.text, 1
        while depth:
            opening, closing = text.find("/*", pos), text.find("*/", pos)
            if closing < 0:
                raise SwiftLexError("unterminated /* comment")
            if 0 <= opening < closing:
                depth, pos = depth + 1, opening + 2
            else:
                depth, pos = depth - 1, closing + 2
        return pos

    def _string(self, pos, hashes, quote, start):
        text, n = self.text, len(self.text)
        close = quote + "#" * hashes
        escape = "\\" + "#" * hashes
        parts = []
        while True:
            if pos >= n:
                raise SwiftLexError("unterminated string literal starting at line %d" % self.line(start))
            if text.startswith(close, pos):
                self.strings.append(("".join(parts), start))
                return pos + len(close)
            if text.startswith(escape, pos):
                after = pos + len(escape)
                if after < n and text[after] == "(":
                    parts.append("_")
                    pos = self._code(after + 1, inside_interpolation=True)
                else:
                    parts.append(text[pos:after + 1])
                    pos = after + 1
                continue
            if quote == '"' and text[pos] == "\n":
                raise SwiftLexError("newline in a single-line string at line %d" % self.line(pos))
            parts.append(text[pos])
            pos += 1


# ---------------------------------------------------------------------------------------------------


def top_level_declarations(lexed):
    """(name, keyword, pos) of declarations at brace depth 0 that are visible outside their file."""
    toks = lexed.tokens
    found = []
    depth = 0  # braces, brackets and parens together
    for i, (kind, text, pos) in enumerate(toks):
        if kind == "p":
            if text in "{([":
                depth += 1
            elif text in "})]":
                depth -= 1
            continue
        if depth != 0 or text not in DECL_KEYWORDS or i + 1 >= len(toks):
            continue
        nkind, name, _ = toks[i + 1]
        if nkind != "id":
            continue  # `func ==`, `protocol P: class {`, `let (a, b)`
        if is_private(toks, i):
            continue
        found.append((name, text, pos))
    return found


def is_private(toks, i):
    """Whether the modifiers before toks[i] make the declaration private or fileprivate."""
    j = i - 1
    while j >= 0:
        kind, text, _ = toks[j]
        if kind == "id" and text in MODIFIERS:
            if text in ("private", "fileprivate"):
                return True
            j -= 1
        elif kind == "p" and text == ")":
            # `private(set)` (setter only: still visible) or an attribute's arguments `@available(...)`
            depth, j = 1, j - 1
            while j >= 0 and depth:
                if toks[j][1] == ")":
                    depth += 1
                elif toks[j][1] == "(":
                    depth -= 1
                j -= 1
            if j >= 0 and toks[j][0] == "id" and toks[j][1] in MODIFIERS:
                j -= 1  # the access modifier of `private(set)` governs the setter only
            elif j >= 1 and toks[j][0] == "id" and toks[j - 1][1] == "@":
                j -= 2
            else:
                return False
        elif kind == "id" and j >= 1 and toks[j - 1][1] == "@":
            j -= 2  # attribute without arguments
        else:
            return False
    return False


def declared_anywhere(lexed):
    """Names the file declares at any depth (they shadow other rooms' names inside the room)."""
    toks = lexed.tokens
    names = set()
    for i in range(len(toks) - 1):
        if toks[i][0] == "id" and toks[i][1] in DECLARING and toks[i + 1][0] == "id":
            if toks[i][1] != "extension":
                names.add(toks[i + 1][1])
    return names


def parse_rules(path, shown):
    """{room: [rooms it may use]} from the table, and a list of problems with the table itself.
    `shown` is how messages name the file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()

    def cells(line):
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        return [c.strip() for c in re.split(r"(?<!\\)\|", line)]

    def is_header(line):
        return line.strip().startswith("|") and [c.lower() for c in cells(line)] == HEADER

    # Prefer the table inside `## Development`, else the first such table anywhere in the file.
    start = None
    in_dev = False
    for k, line in enumerate(lines):
        if re.match(r"^##\s", line):
            in_dev = re.match(r"^##\s+Development\s*$", line) is not None
        if in_dev and is_header(line):
            start = k
            break
    if start is None:
        start = next((k for k, line in enumerate(lines) if is_header(line)), None)
    if start is None:
        return None, ["%s: no `| room | holds | may use |` table (expected in `## Development`)" % shown]

    rules, problems = {}, []

    def room_name(cell):
        return cell.strip().strip("*").strip().strip("`").strip().rstrip("/").strip()

    for k in range(start + 1, len(lines)):
        line = lines[k]
        if not line.strip().startswith("|"):
            break
        row = cells(line)
        if all(re.fullmatch(r":?-+:?", c) for c in row if c):
            continue  # the |---|---|---| separator
        if len(row) != 3:
            problems.append("%s:%d: a table row needs 3 cells (room | holds | may use), found %d"
                            % (shown, k + 1, len(row)))
            continue
        room = room_name(row[0])
        uses = []
        for item in row[2].split(","):
            item = room_name(item)
            if item and item not in ("—", "–", "-", "none"):
                uses.append(item)
        if room in rules:
            problems.append("%s:%d: room %s has two rows" % (shown, k + 1, room))
        rules.setdefault(room, [])
        rules[room] += uses
    return rules, problems


def find_cycles(rules):
    """Per strongly connected component: one shortest cycle through its first room (first room
    repeated at the end), and the component's rooms."""
    index, low, on_stack, stack, sccs = {}, {}, set(), [], []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in rules.get(v, []):
            if w not in rules:
                continue
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            sccs.append(comp)

    for v in sorted(rules):
        if v not in index:
            strong(v)
    cycles = []
    for comp in sccs:
        members = set(comp)
        if len(comp) == 1 and comp[0] not in rules.get(comp[0], []):
            continue
        # Walk a shortest path back to the start inside the component (BFS).
        start = min(comp)
        prev, queue, found = {start: None}, [start], None
        while queue and found is None:
            nxt = []
            for v in queue:
                for w in sorted(rules.get(v, [])):
                    if w == start:
                        found = v
                        break
                    if w in members and w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if found is not None:
                    break
            queue = nxt
        path = [found]
        while prev[path[-1]] is not None:
            path.append(prev[path[-1]])
        path.reverse()
        cycles.append((path + [start], sorted(comp)))
    return cycles


def swift_files(folder):
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".swift"):
                out.append(os.path.join(dirpath, name))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("--rules", metavar="FILE", help="markdown file with the table (default: README.md)")
    parser.add_argument("--root", metavar="DIR", default=os.path.dirname(here),
                        help="repository root (default: %(default)s)")
    parser.add_argument("--used", action="store_true", help="print the arrows the code actually uses")
    parser.add_argument("--no-cycle-check", action="store_true", help="skip the cycle check")
    args = parser.parse_args()

    root = os.path.abspath(args.root)
    rules_path = args.rules or os.path.join(root, "README.md")
    kit = os.path.join(root, KIT)
    if not os.path.isdir(kit):
        print("check-layers: no folder %s" % kit, file=sys.stderr)
        return 2
    if not os.path.isfile(rules_path):
        print("check-layers: no rules file %s" % rules_path, file=sys.stderr)
        return 2

    def rel(path):
        path = os.path.abspath(path)
        return os.path.relpath(path, root) if path.startswith(root + os.sep) else path

    problems = []

    # Rooms and their files.
    room_files = {}
    for entry in sorted(os.listdir(kit)):
        full = os.path.join(kit, entry)
        if os.path.isdir(full):
            room_files[entry] = swift_files(full)
        elif entry.endswith(".swift"):
            problems.append("%s: lies in no room (move it into a folder of %s)" % (rel(full), KIT))
    rooms = {r for r, fs in room_files.items() if fs}

    # Lex every file once.
    lexed = {}
    cli_files = swift_files(os.path.join(root, CLI)) if os.path.isdir(os.path.join(root, CLI)) else []
    for path in [f for fs in room_files.values() for f in fs] + cli_files:
        try:
            with open(path, encoding="utf-8") as f:
                lexed[path] = Lexed(f.read())
        except (SwiftLexError, UnicodeDecodeError) as e:
            problems.append("%s: cannot read as Swift: %s" % (rel(path), e))

    # The table.
    rules, rule_problems = parse_rules(rules_path, rel(rules_path))
    problems += rule_problems
    have_table = rules is not None  # without one, every use would be a problem: report just that
    if rules is None:
        rules = {}
    else:
        for room in sorted(rooms - set(rules)):
            problems.append("room %s (%s/%s/) has no row in the table of %s"
                            % (room, KIT, room, rel(rules_path)))
        for room in sorted(set(rules) - set(room_files)):
            problems.append("%s: the table has a row for room %s, but %s/%s/ does not exist"
                            % (rel(rules_path), room, KIT, room))
        for room in sorted(rules):
            for other in rules[room]:
                if other not in room_files:
                    problems.append("%s: the table draws %s %s %s, but there is no room %s"
                                    % (rel(rules_path), room, ARROW, other, other))
    allowed = {room: set(uses) for room, uses in rules.items()}
    if not args.no_cycle_check:
        for cycle, component in find_cycles(rules):
            also = ""
            if len(component) > len(cycle) - 1:
                also = " (rooms caught in loops together: %s)" % ", ".join(component)
            problems.append("the table's arrows make a cycle: %s%s" % ((" %s " % ARROW).join(cycle), also))

    # Top-level names per room.
    declared = defaultdict(dict)  # name -> room -> (path, line, keyword)
    for room in sorted(rooms):
        for path in room_files[room]:
            if path not in lexed:
                continue
            for name, keyword, pos in top_level_declarations(lexed[path]):
                declared[name].setdefault(room, (path, lexed[path].line(pos), keyword))
    owner = {}
    duplicates = []
    for name in sorted(declared):
        where = declared[name]
        if len(where) > 1:
            places = ", ".join("%s:%d (%s)" % (rel(p), ln, r) for r, (p, ln, _) in sorted(where.items()))
            problems.append("%s is declared in %d rooms: %s" % (name, len(where), places))
            duplicates.append(name)
            continue
        (room, (_, _, keyword)), = where.items()
        owner[name] = (room, keyword in TYPE_KEYWORDS)

    # Uses across rooms.
    used = defaultdict(int)  # (room, other) -> count
    for room in sorted(rooms):
        for path in room_files[room]:
            if path not in lexed:
                continue
            toks = lexed[path].tokens
            local = declared_anywhere(lexed[path])
            first = {}  # (name, other) -> [line, count]
            for i, (kind, name, pos) in enumerate(toks):
                if kind != "id" or name not in owner:
                    continue
                other, is_type = owner[name]
                if other == room or name in local:
                    continue
                if i > 0 and toks[i - 1][1] == ".":
                    continue  # a member: x.name, .name, Foo.name
                if i > 0 and toks[i - 1][0] == "id" and toks[i - 1][1] in DECLARING:
                    continue  # declares its own name
                if not is_type and i + 1 < len(toks) and toks[i + 1][1] == ":":
                    continue  # an argument label or a parameter, not the top-level func/let
                used[(room, other)] += 1
                if have_table and other not in allowed.get(room, ()):
                    entry = first.setdefault((name, other), [lexed[path].line(pos), 0])
                    entry[1] += 1
            for (name, other), (line, count) in sorted(first.items(), key=lambda kv: kv[1][0]):
                more = " (%d more uses in this file)" % (count - 1) if count > 1 else ""
                problems.append("%s:%d: uses %s from %s, but the README draws no arrow %s %s %s%s"
                                % (rel(path), line, name, other, room, ARROW, other, more))

    # Store-only things: SQL text, GRDB imports, sqlite3_ calls.
    path_room = {}
    for room, fs in room_files.items():
        for f in fs:
            path_room[f] = room
    sqlite_file = os.path.join(root, SQLITE_FILE)
    for path, lx in lexed.items():
        room = path_room.get(path)  # None: the CLI
        if room != STORE_ROOM:
            for contents, pos in lx.strings:
                m = SQL.search(contents)
                if m:
                    snippet = re.sub(r"\s+", " ", m.group(0))
                    if len(snippet) > 40:
                        snippet = snippet[:37] + "..."
                    problems.append("%s:%d: SQL text (%r) outside room %s"
                                    % (rel(path), lx.line(pos), snippet, STORE_ROOM))
        toks = lx.tokens
        for i, (kind, text, pos) in enumerate(toks):
            if kind != "id":
                continue
            if text == "import" and room != STORE_ROOM:
                j = i + 1
                if j < len(toks) and toks[j][1] in DECL_KEYWORDS:
                    j += 1  # import struct GRDB.Row
                if j < len(toks) and toks[j][1] in ("GRDB", "GRDBSQLite"):
                    where = "the CLI" if room is None else "room %s" % room
                    problems.append("%s:%d: import %s in %s: only room %s may import it"
                                    % (rel(path), lx.line(pos), toks[j][1], where, STORE_ROOM))
            elif text.startswith("sqlite3_") and os.path.abspath(path) != sqlite_file:
                if i > 0 and toks[i - 1][1] == ".":
                    continue
                problems.append("%s:%d: %s outside %s: SQLite's C API lives in that one file"
                                % (rel(path), lx.line(pos), text, SQLITE_FILE))

    for p in problems:
        print(p)

    if args.used:
        print("arrows used by the code (room %s room: identifier uses):" % ARROW)
        for (room, other), count in sorted(used.items()):
            mark = "" if other in allowed.get(room, ()) else "   (not drawn)"
            print("  %s %s %s: %d%s" % (room, ARROW, other, count, mark))
        unused = sorted((r, o) for r, os_ in allowed.items() for o in os_ if (r, o) not in used)
        if unused:
            print("arrows drawn but not used: " + ", ".join("%s %s %s" % (r, ARROW, o) for r, o in unused))

    nfiles = sum(len(room_files[r]) for r in rooms)
    print("layers: %d files in %d rooms, %d arrows used; %d problems"
          % (nfiles, len(rooms), len(used), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
