"""Run the examples (``make demo``), each in its own process through ``examples/run.py``.

Live with MODELVERSE_API_KEY; without it, replaying the recorded cassettes (and, for the Ray
example, whose requests come from worker processes, calling the local stand-in server).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLES = [
    "langchain_chain",
    "langchain_streaming",
    "langchain_agent",
    "langchain_structured_output",
    "langchain_completions",
    "langchain_errors",
    "langchain_batch",
    "llamaindex_chat",
    "llamaindex_streaming",
    "llamaindex_agent",
    "llamaindex_structured_output",
    "llamaindex_completions",
    "llamaindex_errors",
    "llamaindex_batch",
    "ray_batch",
    "langchain_responses",
    "llamaindex_responses",
]


def main() -> int:
    if os.environ.get("MODELVERSE_API_KEY"):
        mode = "calling the live service (MODELVERSE_API_KEY is set)"
    else:
        mode = "no MODELVERSE_API_KEY: replaying recorded cassettes; the Ray example calls the local stand-in"
    print(f"modelverse-integrations examples ({mode})\n")
    failed = []
    for name in EXAMPLES:
        print(f"=== examples/{name}.py")
        if subprocess.run([sys.executable, str(HERE / "run.py"), name], check=False).returncode:
            failed.append(name)
        print()
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
