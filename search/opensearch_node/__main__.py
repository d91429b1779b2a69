"""``make opensearch``: build the node if needed and run it in the foreground.

python -m search.opensearch_node [--port 9200] [--data var/opensearch/data]
python -m search.opensearch_node --build-only
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from search import opensearch_node


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m search.opensearch_node")
    parser.add_argument("--port", type=int, default=9200)
    parser.add_argument("--data", type=Path, default=opensearch_node.VAR / "data")
    parser.add_argument("--heap", default=opensearch_node.HEAP)
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args(argv)
    if args.build_only:
        home = opensearch_node.build(quiet=False)
        print(f"OpenSearch {opensearch_node.OPENSEARCH_VERSION} node ready in {home}")
        return 0
    node = opensearch_node.start(
        port=args.port, data_dir=args.data, heap=args.heap, log_path=None
    )
    print(
        f"OpenSearch {opensearch_node.OPENSEARCH_VERSION} on {node.url} "
        f"(started in {node.started_in_s:.1f} s, RSS {node.rss_bytes() / 2**20:.0f} MB,"
        f" data in {node.data_dir}, log {node.log_path}); "
        f"SEARCH_URL={node.url} points the CMS at it. Ctrl-C stops it.",
        flush=True,
    )

    def interrupt(*_args) -> None:
        # Unwind the wait below first (stopping from inside it deadlocks on the
        # Popen's wait lock), then stop in the `finally`.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        node.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        node.stop()
    return node.process.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
