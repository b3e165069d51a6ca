"""Short-lived event-socket connection per call vs one kept-alive connection.

    python bench/esl_connections.py [--calls 500] [--host H --port P --password X]

Without --host it measures against the bundled simulator on loopback. Prints
the time per call for both ways and their ratio.
"""

from __future__ import annotations

import argparse
import time

from fpbx_api.freeswitch import esl
from fpbx_api.freeswitch.simulator import Simulator


def per_call(fn, calls: int) -> float:
    started = time.perf_counter()
    fn(calls)
    return (time.perf_counter() - started) / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--host")
    parser.add_argument("--port", type=int, default=8021)
    parser.add_argument("--password", default="ClueCon")
    args = parser.parse_args()
    sim = None
    if args.host:
        switch = esl.Switch("fs", args.host, args.port, args.password)
    else:
        sim = Simulator().start()
        for n in range(20):
            sim.add_call(caller=f"10{n:02d}", destination="5551234567", domain="example.com")
        switch = esl.Switch(**sim.switch())

    def short_lived(n):
        for _ in range(n):
            with esl.Connection(switch, 2.0) as conn:
                conn.api("show channels as json")

    def kept_alive(n):
        with esl.Connection(switch, 2.0) as conn:
            for _ in range(n):
                conn.api("show channels as json")

    short, kept = per_call(short_lived, args.calls), per_call(kept_alive, args.calls)
    print(f"short-lived connection per call: {short:.3f} ms")
    print(f"kept-alive connection:           {kept:.3f} ms")
    print(f"ratio short/kept:                {short / kept:.1f}x")
    if sim:
        sim.stop()


if __name__ == "__main__":
    main()
