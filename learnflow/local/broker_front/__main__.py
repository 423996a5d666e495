"""``python -m learnflow.local.broker_front``: run the front until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal

from learnflow.local.broker_front._server import Front


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


async def _serve(listen: tuple[str, int], upstream: tuple[str, int]) -> None:
    server = await Front(upstream).serve(*listen)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    async with server:
        await stopping.wait()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m learnflow.local.broker_front", description=__doc__)
    parser.add_argument("--listen", type=_address, required=True, help="HOST:PORT the clients connect to")
    parser.add_argument("--upstream", type=_address, required=True, help="HOST:PORT of the broker")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_serve(args.listen, args.upstream))


if __name__ == "__main__":
    main()
