"""``latentd demo`` as a user runs it: the streamed decoder matches its offline output."""

import subprocess
import sys


def test_demo_streams_exactly():
    result = subprocess.run([sys.executable, "-m", "latentd", "demo", "--seconds", "1"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "max |stream - offline|" in result.stdout
