"""Linear-chain throughput: fbdev against a plain `asyncio.Queue` pipeline of the same shape.

The chain is source -> K pass-through stages -> sink, moving N packets, so N*(K+1) packet-hops (one hop = one
packet crossing one edge). For each K the script measures, in the same process and run:

- plain: one task per stage joined by `asyncio.Queue(maxsize)`s; timed from start until the sink got N items;
- fbdev, four ways, each a `GraphSpec` with the same edges (same maxsize) run as a `Net` (only `await net.arun()`
  is timed; building the `Net` is shown as "build ms"):
  - `class`: `ExecComponent` stages forwarding packets untouched (`await out.put(await inp.get())`);
  - `func`: `func_component` stages (`def passthru(x): return x`), the way the docs teach;
  - `func_registry`: the same with a `PacketRegistry` recording every packet's life;
  - `fused`: the same function stages run as one fused chain (`Net(g, fuse=True)`).

It prints hops/s for both and their ratio fbdev/plain, best of `--repeat` runs each, with the project's targets,
and with `--json` one JSON line of the ratios: `{"class": {"1": r, "10": r, "50": r}, "func": {...}, ...}`.
This is a benchmark, not a test: it never fails on timings.

Run from the repository root:  python benchmarks/chain.py [--n 20000] [--k 1 10 50] [--repeat 3] [--maxsize 10]
`--stages class func` runs only some variants. `--yield-every N` sets how often a port gives the event loop a turn
(fairness; default fbdev.core.ports.YIELD_EVERY); a huge N measures the chain with fairness yields off.
"""
import argparse, asyncio, gc, json, time
import fbdev.core.ports
from fbdev.core.components import ExecComponent, Option
from fbdev.core.specs import PortSpec
from fbdev.graph import GraphSpec
from fbdev.net import Net
from fbdev.registry import PacketRegistry
from fbdev.complib.func import func_component

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

@func_component
def passthru(x): return x

class Sink(ExecComponent):
    "Receives (consumes) packets."
    port_specs = (PortSpec.input('inp'),)
    async def on_start(self): self.inp = self.ports.input.inp
    async def execute(self): await self.inp.receive()

STAGES = {'class': (Pass, 'inp'), 'func': (passthru, 'x'), 'func_registry': (passthru, 'x'), 'fused': (passthru, 'x')}
TARGETS = {'class': {10: 0.8, 50: 0.8}, 'func': 0.6, 'func_registry': 0.3, 'fused': {10: 2.0}}

def chain_graph(k, n, maxsize, stage=Pass, port='inp'):
    "The GraphSpec source -> p0 -> ... -> p{k-1} -> sink, every edge holding at most `maxsize` packets."
    g = GraphSpec('chain')
    prev = g.add_node('src', Source, n=n, mode='once').output.out
    for i in range(k):
        p = g.add_node(f'p{i}', stage)
        g.connect(prev, p.input[port], maxsize)
        prev = p.output.out
    g.connect(prev, g.add_node('sink', Sink).input.inp, maxsize)
    return g

def bench_fbdev(k, n, maxsize, variant):
    "One fbdev run of `variant`: (build seconds, run seconds)."
    stage, port = STAGES[variant]
    g = chain_graph(k, n, maxsize, stage, port)
    gc.collect()
    t0 = time.perf_counter()
    opts = dict(fuse=True) if variant == 'fused' else {}
    net = Net(g, registry=PacketRegistry() if variant == 'func_registry' else None, **opts)
    build = time.perf_counter() - t0
    async def timed():
        t = time.perf_counter()
        report = await net.arun()
        return time.perf_counter() - t, report
    dt, report = asyncio.run(timed())
    if not report.ended or any(len(e) for e in net.edges.values()):   # sanity check: all N reached the sink
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

def target_of(variant, k):
    t = TARGETS[variant]
    return t.get(k) if isinstance(t, dict) else t

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--n', type=int, default=20000, help='packets per run (default 20000)')
    ap.add_argument('--k', type=int, nargs='+', default=[1, 10, 50], help='pass-through counts (default 1 10 50)')
    ap.add_argument('--repeat', type=int, default=3, help='runs per measurement; the best counts (default 3)')
    ap.add_argument('--maxsize', type=int, default=10, help='queue/edge capacity (default 10)')
    ap.add_argument('--stages', nargs='+', choices=list(STAGES), default=list(STAGES), help='variants to run')
    ap.add_argument('--yield-every', type=int, default=fbdev.core.ports.YIELD_EVERY,
                    help=f'port operations between two turns given to the event loop (default {fbdev.core.ports.YIELD_EVERY})')
    ap.add_argument('--json', action='store_true', help='print the ratios as one JSON line at the end')
    args = ap.parse_args()
    fbdev.core.ports.YIELD_EVERY = args.yield_every
    plain = {k: min(bench_plain(k, args.n, args.maxsize) for _ in range(args.repeat)) for k in args.k}
    ratios = {}
    for variant in args.stages:
        print(f'chain, {variant} stages: N={args.n}, maxsize={args.maxsize}, best of {args.repeat}, '
              f'yield every {args.yield_every}')
        print(f'{"K":>4} {"plain hops/s":>14} {"fbdev hops/s":>14} {"ratio":>7} {"target":>7} {"build ms":>9}')
        ratios[variant] = {}
        for k in args.k:
            hops = args.n * (k + 1)
            runs = [bench_fbdev(k, args.n, args.maxsize, variant) for _ in range(args.repeat)]
            build, fb = min(b for b, _ in runs), min(d for _, d in runs)
            r = ratios[variant][str(k)] = round(plain[k] / fb, 3)
            t = target_of(variant, k)
            mark = '' if t is None else f'{t:>5.1f} {"ok" if r >= t else "NO"}'
            print(f'{k:>4} {hops / plain[k]:>14,.0f} {hops / fb:>14,.0f} {r:>7.2f} {mark:>8} {build * 1e3:>8.2f}')
        print()
    if args.json: print(json.dumps(ratios))

if __name__ == '__main__': main()
