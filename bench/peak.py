"""Run a command and print its wall time (s) and peak resident memory (MB): `seconds megabytes`.

A process of its own, so RUSAGE_CHILDREN holds this one command's peak and nothing else.
"""

import resource
import subprocess
import sys
import time

began = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)  # noqa: S603
seconds = time.perf_counter() - began
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
print(f"{seconds:.3f} {peak_kb / 1024:.1f}")
