#!/usr/bin/env python3
"""Runs a command and checks what it printed, for the smoke tests.

ctest's PASS_REGULAR_EXPRESSION ignores the exit code and passes on a
figure's name alone, so a bench that reports 0 photos per second would
pass. This runner fails unless the command exits 0, every expectation
holds and every pattern matches:

  smoke_check.py [--needs PATH]... [--expect EXPR]... [--match REGEX]...
                 [--lines REGEX] -- COMMAND [ARG]...

EXPR is `KEYS OP VALUE`: KEYS one `key` of the command's `key=value`
output or a sum `a+b`, OP one of == != >= <= > <, VALUE a number or
another key. It is checked on every output line that holds the first key
(a bench prints one line per configuration), with the other keys read
from the same line, and at least one line must hold it. --lines limits
the expectations to the lines that match (a summary line, say).

A missing --needs path (../shared/data beside the clone) skips the test
with exit code 77 (SKIP_RETURN_CODE), except under CI (CI=true), where
it is a failure.
"""

import argparse
import operator
import os
import re
import subprocess
import sys

SKIP = 77
OPERATORS = {
    "==": operator.eq, "!=": operator.ne, ">=": operator.ge,
    "<=": operator.le, ">": operator.gt, "<": operator.lt,
}
EXPR = re.compile(r"^\s*([\w.+]+)\s*(==|!=|>=|<=|>|<)\s*([\w.+-]+)\s*$")
PAIR = re.compile(r"(?:^|\s)([A-Za-z_][\w]*)=(-?[0-9][0-9.eE+-]*)(?=\s|$)")


def parse_expect(text):
    m = EXPR.match(text)
    if not m:
        sys.exit(f"smoke_check: cannot parse --expect {text!r}")
    return m.group(1).split("+"), m.group(2), m.group(3)


def value_on(line_pairs, token):
    try:
        return float(token)
    except ValueError:
        return line_pairs.get(token)


def check(expect, lines):
    keys, op, right = expect
    problems, seen = [], 0
    for pairs in lines:
        if keys[0] not in pairs:
            continue
        seen += 1
        values = [pairs.get(k) for k in keys]
        target = value_on(pairs, right)
        if None in values or target is None:
            problems.append(f"{'+'.join(keys)} {op} {right}: a key is "
                            f"missing on a line with {keys[0]}")
            continue
        total = sum(values)
        if not OPERATORS[op](total, target):
            problems.append(f"{'+'.join(keys)} {op} {right}: got {total:g} "
                            f"against {target:g}")
    if seen == 0:
        problems.append(f"{keys[0]} was not printed")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", action="append", default=[])
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--match", action="append", default=[])
    parser.add_argument("--lines", default="")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        sys.exit("smoke_check: no command")
    expects = [parse_expect(e) for e in args.expect]

    missing = [p for p in args.needs if not os.path.exists(p)]
    if missing:
        if os.environ.get("CI") == "true":
            print(f"smoke_check: FAIL: {missing[0]} is missing (CI=true)")
            return 1
        print(f"smoke_check: SKIP: {missing[0]} is missing")
        return SKIP

    run = subprocess.run(command, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(run.stdout)
    problems = []
    if run.returncode != 0:
        problems.append(f"exit code {run.returncode}")
    lines = [{k: float(v) for k, v in PAIR.findall(line)}
             for line in run.stdout.splitlines()
             if re.search(args.lines, line)]
    for expect in expects:
        problems += check(expect, lines)
    for pattern in args.match:
        if not re.search(pattern, run.stdout, re.MULTILINE):
            problems.append(f"no match for {pattern!r}")
    for problem in problems:
        print(f"smoke_check: FAIL: {problem}")
    if problems:
        return 1
    print(f"smoke_check: PASS ({len(expects)} figures, "
          f"{len(args.match)} patterns)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
