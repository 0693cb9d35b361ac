#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Worst-case stack of entry points, from gcc's -fstack-usage and
-fcallgraph-info output.

    stack_usage.py [--elf FILE]... [--objdump PROG] [--entry NAME]... FILE.ci...
    stack_usage.py --elf FILE... [--objdump PROG] [--entry NAME]... FILE.su...

Each .ci file (gcc >= 12, -fcallgraph-info=su) gives one translation unit's
call graph: a node per function defined there (with its frame from
-fstack-usage) and an edge per call, including calls gcc emits by itself
(memcpy for a struct copy, libgcc helpers such as __aeabi_lmul) and
calls through a function pointer (a "__indirect_call" node).  The frame
sizes are read from the .su file next to each .ci (same numbers, plus the
qualifier: "static", "dynamic", "bounded").

Without .ci files (gcc < 12 has no -fcallgraph-info) the call graph comes
from the disassembly of the linked --elf programs instead, with the frames
of the .su files given.

The verifier has no recursion, so the worst case of an entry point is the
largest sum of frames along any call path from it (a DFS).  A cycle is
reported as an error.  Functions with no .su entry (libgcc helpers, a
libc memcpy) get their frame from the disassembly of the linked --elf
(push/stmdb/sub sp on ARM, addi sp on RISC-V) when one is given, and are
marked "~"; otherwise they count 0 and are marked "?".  Calls through a
function pointer (the sink, reader and unwrap callbacks) are flagged: the
figure excludes the callback's own stack.

--indirect CALLER=TARGET[,TARGET...] names the functions CALLER reaches
through a function pointer inside the verifier (md_block.c's call of a
hash's block function): those calls then count as calls of the targets,
not as callbacks.

Prints one line per entry point:
    NAME  BYTES  [notes]  f1 n1 > f2 n2 > ...   (the deepest path)
notes: "callback@D": a call through a function pointer happens with D
bytes of the verifier's stack in use, so the true worst case is
max(BYTES, D + the callback's own stack); "~libgcc": some frames were read
from the disassembly; "? f": f's frame is unknown (counted as 0).
and exits 1 if a frame is dynamic (alloca, VLA) or the graph has a cycle
(recursion): the verifier allows neither.
"""
import os
import re
import subprocess
import sys

NODE_RE = re.compile(r'^node: \{ title: "([^"]*)" label: "([^"]*)"')
EDGE_RE = re.compile(r'^edge: \{ sourcename: "([^"]*)" targetname: "([^"]*)"')
SU_RE = re.compile(r'^(.*):(\d+):(\d+):(\S+)\t(\d+)\t(\S+)')


class Graph:
    def __init__(self):
        self.frame = {}      # title -> bytes
        self.qual = {}       # title -> qualifier from .su
        self.name = {}       # title -> function name
        self.edges = {}      # title -> set of titles
        self.defined = set()
        self.estimated = set()
        self.unknown = set()

    def load(self, ci_path):
        su = {}
        su_path = ci_path[:-3] + '.su'
        if os.path.exists(su_path):
            with open(su_path) as f:
                for line in f:
                    m = SU_RE.match(line.rstrip('\n'))
                    if m:
                        su[(os.path.normpath(m.group(1)), m.group(4))] = (int(m.group(5)),
                                                                          m.group(6))
        with open(ci_path) as f:
            for line in f:
                m = NODE_RE.match(line)
                if m:
                    title, label = m.group(1), m.group(2)
                    parts = label.split('\\n')
                    name = title.rsplit(':', 1)[-1]
                    self.name.setdefault(title, name)
                    size = re.search(r'(\d+) bytes \((\w+)\)', label)
                    if size:
                        src = os.path.normpath(parts[1].rsplit(':', 2)[0])
                        nbytes, qual = int(size.group(1)), size.group(2)
                        if (src, name) in su:
                            nbytes, qual = su[(src, name)]
                        self.frame[title] = nbytes
                        self.qual[title] = qual
                        self.defined.add(title)
                        self.name[title] = name
                    continue
                m = EDGE_RE.match(line)
                if m:
                    self.edges.setdefault(m.group(1), set()).add(m.group(2))

    def estimate_from_elf(self, elfs, objdump):
        """Frames and calls of functions that have no .su (libgcc, libc),
        read from the disassembly of the linked programs."""
        missing = {t for t in set(self.name) | {d for s in self.edges.values() for d in s}
                   if t not in self.defined and t != '__indirect_call'}
        if not missing or not elfs:
            return
        funcs = disassemble(elfs, objdump)
        work = sorted(missing)
        while work:
            name = work.pop()
            if name not in funcs or name in self.frame:
                continue
            frame, calls, _ = scan(name, funcs)
            self.frame[name] = frame
            self.estimated.add(name)
            self.edges.setdefault(name, set()).update(calls)
            for c in calls:
                self.name.setdefault(c, c)
            work.extend(c for c in calls if c not in self.defined and c not in self.frame)

    def load_elf_graph(self, elfs, objdump, su_paths):
        """Fallback for compilers without -fcallgraph-info (gcc < 12): the
        call graph from the disassembly of the linked programs (direct
        calls and tail calls; a call through a register is a callback),
        frames from the .su files by function name (the largest if two
        static functions share a name) or, lacking one, the prologue."""
        su = {}
        for path in su_paths:
            with open(path) as f:
                for line in f:
                    m = SU_RE.match(line.rstrip('\n'))
                    if m:
                        n, q = int(m.group(5)), m.group(6)
                        old = su.get(m.group(4))
                        if old is None or n > old[0]:
                            su[m.group(4)] = (n, q)
        funcs = disassemble(elfs, objdump)
        for name in funcs:
            frame, calls, indirect = scan(name, funcs)
            if name in su:
                frame, self.qual[name] = su[name]
            else:
                self.estimated.add(name)
            self.frame[name] = frame
            self.name[name] = name
            self.defined.add(name)
            self.edges[name] = set(calls) | ({'__indirect_call'} if indirect else set())

    def resolve_indirect(self, caller, targets):
        """caller's calls through a pointer go to targets (names)."""
        titles = [t for t, n in self.name.items() if n == caller]
        dest = [t for t, n in self.name.items() if n in targets and t in self.defined]
        for t in titles:
            e = self.edges.get(t, set())
            if '__indirect_call' in e:
                e.discard('__indirect_call')
                e.update(dest)

    def worst(self, entry):
        """(bytes, path, flags) of the deepest call chain from entry."""
        memo, stack, cycles = {}, [], []

        def dfs(t):
            if t in memo:
                return memo[t]
            if t in stack:
                cycles.append(' > '.join(self.name.get(x, x) for x in stack + [t]))
                return (0, [], set(), None)
            stack.append(t)
            flags = set()
            if t == '__indirect_call':
                res = (0, [], {'callback'}, 0)
            else:
                own = self.frame.get(t)
                if own is None:
                    own = 0
                    flags.add('unknown:' + self.name.get(t, t))
                elif t in self.estimated:
                    flags.add('estimated:' + self.name.get(t, t))
                if self.qual.get(t, 'static') != 'static':
                    flags.add('%s:%s' % (self.qual[t], self.name.get(t, t)))
                best, best_path, cb = 0, [], None
                for c in sorted(self.edges.get(t, ())):
                    n, p, f, d = dfs(c)
                    flags |= f
                    if n > best or (n == best and not best_path):
                        best, best_path = n, p
                    if d is not None and (cb is None or d > cb):
                        cb = d
                res = (own + best, [t] + best_path, flags, None if cb is None else own + cb)
            stack.pop()
            memo[t] = res
            return res

        res = dfs(entry)
        if cycles:
            res[2].add('cycle:' + cycles[0])
        return res

    def callback_depth(self, entry):
        """Deepest stack at which entry's call graph calls through a
        function pointer (the callback's own frames come on top), or None."""
        return self.worst(entry)[3]

    def path_str(self, path):
        out = []
        for t in path:
            if t == '__indirect_call':
                out.append('(callback)')
            else:
                mark = '~' if t in self.estimated else ('?' if t not in self.frame else '')
                out.append('%s %s%d' % (self.name.get(t, t), mark, self.frame.get(t, 0)))
        return ' > '.join(out)


def disassemble(elfs, objdump):
    """{function: [instruction lines]} over the programs (first one wins)."""
    funcs, cur = {}, None
    for elf in elfs:
        try:
            text = subprocess.run([objdump, '-d', '--no-show-raw-insn', elf], check=True,
                                  capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        for line in text.splitlines():
            m = re.match(r'^[0-9a-f]+ <([^>]+)>:$', line)
            if m:
                cur = m.group(1)
                if cur in funcs:   # the same function in another program
                    cur = None
                else:
                    funcs[cur] = []
                continue
            if cur is not None and line.strip():
                funcs[cur].append(line)
    return funcs


def scan(name, funcs):
    """(frame estimated from the prologue, direct callees, calls through a
    register?) of one disassembled function."""
    frame, calls, indirect = 0, set(), False
    for i, line in enumerate(funcs[name]):
        ins = line.split('\t', 1)[-1].strip() if '\t' in line else line.strip()
        if i < 12:
            m = re.match(r'(push|stmdb\s+sp!,)\s*\{([^}]*)\}', ins)
            if m:
                frame += 4 * count_regs(m.group(2))
            m = re.match(r'(?:str|strd)\s.*\[sp,\s*#-(\d+)\]!', ins)
            if m:
                frame += int(m.group(1))
            m = re.match(r'sub(?:\.w)?\s+sp,\s*(?:sp,\s*)?#(\d+)', ins)
            if m:
                frame += int(m.group(1))
            m = re.match(r'(?:c\.)?addi(?:16sp)?\s+sp,\s*(?:sp,\s*)?-(\d+)', ins)
            if m:
                frame += int(m.group(1))
        m = re.search(r'\b(?:bl|blx|jal|call|tail|b\.w|j)\s+(?:ra,)?[0-9a-f]+ <([^>+]+)>', ins)
        if m and m.group(1) != name and m.group(1) in funcs:
            calls.add(m.group(1))
        elif re.match(r'blx\s+(r\d+|ip|lr)\b', ins) or re.match(r'jalr\s+(?!zero)', ins):
            indirect = True
    return frame, calls, indirect


def count_regs(spec):
    n = 0
    for part in spec.split(','):
        part = part.strip()
        m = re.match(r'r(\d+)-r(\d+)$', part)
        n += int(m.group(2)) - int(m.group(1)) + 1 if m else (1 if part else 0)
    return n


def main(argv):
    entries, cis, elfs, objdump, indirect = [], [], [], 'objdump', []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ('--entry', '--elf', '--objdump', '--indirect'):
            if i + 1 >= len(argv):
                sys.exit('stack_usage.py: %s needs a value' % a)
            v = argv[i + 1]
            if a == '--entry':
                entries.append(v)
            elif a == '--elf':
                elfs.append(v)
            elif a == '--indirect':
                caller, _, targets = v.partition('=')
                indirect.append((caller, set(targets.split(','))))
            else:
                objdump = v
            i += 2
        else:
            cis.append(a)
            i += 1
    g = Graph()
    sus = [c for c in cis if c.endswith('.su')]
    cis = [c for c in cis if not c.endswith('.su')]
    if cis:
        for ci in cis:
            g.load(ci)
        g.estimate_from_elf(elfs, objdump)
    else:
        g.load_elf_graph(elfs, objdump, sus)
    for caller, targets in indirect:
        g.resolve_indirect(caller, targets)
    status = 0
    for e in entries:
        if e not in g.defined:
            print('%-26s %7s  not defined in these objects' % (e, '-'))
            continue
        n, path, flags, cb = g.worst(e)
        notes = []
        if cb is not None:
            notes.append('callback@%d' % cb)
        if any(f.startswith('estimated:') for f in flags):
            notes.append('~libgcc')
        if any(f.startswith('unknown:') for f in flags):
            notes.append('? ' + ','.join(sorted(f[8:] for f in flags if f.startswith('unknown:'))))
        bad = [f for f in flags if f.startswith(('dynamic', 'bounded', 'cycle'))]
        if bad:
            notes.extend(sorted(bad))
            status = 1
        print('%-26s %7d  %-14s %s' % (e, n, ' '.join(notes), g.path_str(path)))
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
