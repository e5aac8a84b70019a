"""Run the main examples (``make demo``): live with MODELVERSE_API_KEY; without it, replaying cassettes
(and, for the Ray example, whose requests come from worker processes, calling the local stand-in)."""

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
    "langchain_completions",
    "llamaindex_chat",
    "llamaindex_streaming",
    "llamaindex_agent",
    "llamaindex_completions",
    "ray_batch",
    "langchain_responses",
    "llamaindex_responses",
]


def main() -> int:
    live = os.environ.get("MODELVERSE_API_KEY")
    mode = "calling the live service" if live else "replaying recorded cassettes; the Ray example calls the stand-in"
    print(f"modelverse-integrations examples ({mode})\n")
    failed = []
    for name in EXAMPLES:
        print(f"=== examples/{name}.py")
        if subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False).returncode:
            failed.append(name)
        print()
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
