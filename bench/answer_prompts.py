#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers every prompt ending in ":" with $BENCH_PASSPHRASE.

usage: answer_prompts.py PROGRAM [ARGS...]   (age and separa read passphrases from a terminal only)
"""
import os, pty, sys
secret = os.environ['BENCH_PASSPHRASE'].encode()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
pending = b''
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    pending += data
    if pending.rstrip().endswith(b':'):
        os.write(fd, secret + b'\n')
        pending = b''
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
