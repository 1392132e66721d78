"""Run the five local platform servers in the foreground, for development and demos.

    python -m socmed_testing.platforms [--port-base 8701]

prints the SOCMED_* variables to export (then `SOCMED_PUBLISHER=platforms socmed publish run`
posts to these servers) and serves until interrupted (Ctrl-C or SIGTERM). Stand-ins only: see
the package's docstring.
"""

from __future__ import annotations

import argparse
import shlex
import signal
import threading
from types import FrameType

from socmed_testing.platforms import LocalPlatforms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socmed_testing.platforms",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port-base", type=int, default=0,
                        help="listen on this port and the next four (default: free ports)")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with LocalPlatforms(port_base=args.port_base) as local:
        print("# local stand-ins of the platforms (never the real ones); export these:")
        for name, value in sorted(local.environ().items()):
            print(f"export {name}={shlex.quote(value)}")
        print("export SOCMED_PUBLISHER=platforms")
        print(f"# media for drafts: {local.media_url('photo.jpg')}, "
              f"{local.media_url('clip.mp4')}", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
