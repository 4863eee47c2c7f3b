"""How long `rencai demo --size N` takes to fill a fresh database (default N = 1,000,000).

    .venv/bin/python bench/demo_size.py [N] [DATABASE_URL]

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory. Prints talents per second.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
bin_dir = Path(sys.executable).parent
with tempfile.TemporaryDirectory() as tmp:
    env = {**os.environ, "RENCAI_VAR_DIR": tmp}
    if len(sys.argv) > 2:
        env["DATABASE_URL"] = sys.argv[2]
    subprocess.run([bin_dir / "rencai", "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([bin_dir / "rencai", "demo", "--size", str(size)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    db = env.get("DATABASE_URL", "sqlite").split(":")[0]
    print(f"demo --size {size} on {db}: {seconds:.0f} s ({size / seconds:,.0f} talents/s)")
