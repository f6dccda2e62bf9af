"""Linear-chain throughput: fbdev against a plain `asyncio.Queue` pipeline of the same shape.

The chain is source -> K pass-through components -> sink, moving N packets, so N*(K+1) packet-hops
(one hop = one packet crossing one edge). For each K the script measures, in the same process and run:

- plain: one task per stage joined by `asyncio.Queue(maxsize)`s; timed from start until the sink got N items;
- fbdev: a `GraphSpec` with the same edges (same maxsize), run as a `Net`; only `await net.arun()` is
  timed (building the `Net` is timed separately and shown as "build ms").

It prints hops/s for both and their ratio fbdev/plain, best of `--repeat` runs each, twice: with the
packet registry off and with a `PacketRegistry` recording every packet's life. The project's targets are a ratio
>= 0.5 with the registry off and >= 0.25 with it on.
This is a benchmark, not a test: it never fails on timings.

Run from the repository root:  python benchmarks/chain.py [--n 20000] [--k 1 10 50] [--repeat 3] [--maxsize 64]
`--registry off` (or `on`) runs only one of the two tables. `--yield-every N` sets how often a port gives the event
loop a turn (fairness; default fbdev.core.YIELD_EVERY); a huge N measures the chain with fairness yields off.
"""
import argparse, asyncio, gc, time
import fbdev.core
from fbdev.core import ExecComponent, Option, PortSpec
from fbdev.graph import DEFAULT_MAXSIZE, GraphSpec
from fbdev.net import Net
from fbdev.registry import PacketRegistry

class Source(ExecComponent):
    "Sends `n` new packets (run with mode='once')."
    port_specs = (PortSpec.output('out'),)
    n = Option(int, 0, 'how many packets to send')
    async def execute(self):
        send = self.ports.output.out.send
        for i in range(self.n): await send(i)

class Pass(ExecComponent):
    "Forwards each packet untouched (never looks at the payload)."
    port_specs = (PortSpec.input('inp'), PortSpec.output('out'))
    async def on_start(self): self.inp, self.out = self.ports.input.inp, self.ports.output.out
    async def execute(self): await self.out.put(await self.inp.get())

class Sink(ExecComponent):
    "Receives (consumes) packets."
    port_specs = (PortSpec.input('inp'),)
    async def on_start(self): self.inp = self.ports.input.inp
    async def execute(self): await self.inp.receive()

def chain_graph(k, n, maxsize):
    "The GraphSpec source -> p0 -> ... -> p{k-1} -> sink, every edge holding at most `maxsize` packets."
    g = GraphSpec('chain')
    prev = g.add_node('src', Source, n=n, mode='once').output.out
    for i in range(k):
        p = g.add_node(f'p{i}', Pass)
        g.connect(prev, p.input.inp, maxsize)
        prev = p.output.out
    g.connect(prev, g.add_node('sink', Sink).input.inp, maxsize)
    return g

def bench_fbdev(k, n, maxsize, registry=None):
    "One fbdev run: (build seconds, run seconds). `registry`: a PacketRegistry, or None for registry off."
    g = chain_graph(k, n, maxsize)
    gc.collect()
    t0 = time.perf_counter()
    net = Net(g, registry=registry)
    build = time.perf_counter() - t0
    async def timed():
        t = time.perf_counter()
        report = await net.arun()
        return time.perf_counter() - t, report
    dt, report = asyncio.run(timed())
    if report.deadlocked or any(len(e) for e in net.edges.values()):   # sanity check: all N reached the sink
        raise RuntimeError(f'the chain did not drain:\n{report}')
    return build, dt

def bench_plain(k, n, maxsize):
    "One plain asyncio run of the same shape: run seconds."
    async def main():
        qs = [asyncio.Queue(maxsize) for _ in range(k + 1)]
        async def source():
            for i in range(n): await qs[0].put(i)
        async def passthrough(a, b):
            while True: await b.put(await a.get())
        async def sink():
            for _ in range(n): await qs[-1].get()
        t = time.perf_counter()
        tasks = [asyncio.create_task(passthrough(qs[i], qs[i + 1])) for i in range(k)]
        await asyncio.gather(source(), sink())
        dt = time.perf_counter() - t
        for x in tasks: x.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return dt
    gc.collect()
    return asyncio.run(main())

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=int, default=20000, help='packets per run (default 20000)')
    ap.add_argument('--k', type=int, nargs='+', default=[1, 10, 50], help='pass-through counts (default 1 10 50)')
    ap.add_argument('--repeat', type=int, default=3, help='runs per measurement; the best counts (default 3)')
    ap.add_argument('--maxsize', type=int, default=DEFAULT_MAXSIZE, help=f'queue/edge capacity (default {DEFAULT_MAXSIZE})')
    ap.add_argument('--registry', choices=['off', 'on', 'both'], default='both', help='packet registry off, on, or both tables (default)')
    ap.add_argument('--yield-every', type=int, default=fbdev.core.YIELD_EVERY,
                    help=f'port operations between two turns given to the event loop (default {fbdev.core.YIELD_EVERY})')
    args = ap.parse_args()
    fbdev.core.YIELD_EVERY = args.yield_every
    for reg_on in {'off': [False], 'on': [True], 'both': [False, True]}[args.registry]:
        target = 0.25 if reg_on else 0.5
        print(f'chain: N={args.n}, maxsize={args.maxsize}, best of {args.repeat}, registry {"on" if reg_on else "off"}, '
              f'yield every {args.yield_every}')
        print(f'{"K":>4} {"plain hops/s":>14} {"fbdev hops/s":>14} {"ratio":>7} {"build ms":>9}')
        ratios = []
        for k in args.k:
            hops = args.n * (k + 1)
            plain = min(bench_plain(k, args.n, args.maxsize) for _ in range(args.repeat))
            runs = [bench_fbdev(k, args.n, args.maxsize, PacketRegistry() if reg_on else None) for _ in range(args.repeat)]
            build, fb = min(b for b, _ in runs), min(d for _, d in runs)
            ratios.append(plain / fb)
            print(f'{k:>4} {hops / plain:>14,.0f} {hops / fb:>14,.0f} {plain / fb:>7.2f} {build * 1e3:>9.2f}')
        ok = all(r >= target for r in ratios)
        print(f'target ratio >= {target}: {"met" if ok else "NOT met"} for every K (min ratio {min(ratios):.2f})\n')

if __name__ == '__main__': main()
