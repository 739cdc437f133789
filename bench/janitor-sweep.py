#!/usr/bin/env python3
# The janitor benchmark's baseline: a Python loop that does, for each of N lockfiles of dead runs, what the janitor
# does to tidy one — open(O_RDWR|O_CREAT|O_CLOEXEC), fcntl.flock(LOCK_EX|LOCK_NB), the inode identity check (fstat of
# the fd against stat of the path), unlink while holding the lock, unlock, close. Timed from before `import fcntl` to
# the end of the loop (interpreter start-up is not in it; the JVM's is not in the janitor's figure either).
#   bench/janitor-sweep.py DIR N
import os
import sys
import time

d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    open(f"{d}/cc-ci-app-{i:04d}-0abcde.ci.example.org.lock", "w").close()
t0 = time.perf_counter()
import fcntl  # noqa: E402

tidied = 0
for name in os.listdir(d):
    if not (name.startswith("cc-ci-app-") and name.endswith(".lock")):
        continue
    p = os.path.join(d, name)
    try:
        fd = os.open(p, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        continue
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        continue
    a, b = os.fstat(fd), os.stat(p)
    if (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev):
        os.unlink(p)
        tidied += 1
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
ms = (time.perf_counter() - t0) * 1000
assert tidied == n, f"tidied {tidied} of {n}"
print(f"python: {n} lockfiles in {ms:.1f} ms")
