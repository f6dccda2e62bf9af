"""Big nets: the cost per node of building and starting a long chain of function components.

The chain is source -> N stages -> sink, every stage `@func_component def inc(x: int) -> int: return x + 1`;
the source sends one packet, so the run is mostly starting every node and ending it by end of stream.
Three figures, each against its target:

- build: seconds to make the `GraphSpec` and the `Net` from it (best of --repeat);
- start: seconds of `await net.arun()` until it ends (one packet through, then end of stream ends every
  node; best of --repeat), checked: the report says every node ended and the sink got N;
- bytes per node: in a fresh subprocess, peak RSS (`resource.getrusage`) after building and running the net,
  minus the peak RSS of the same process just before building (after a small warm-up net), divided by N.
  It is measured before the timings: on Linux a child process starts with its parent's peak RSS.

This is a benchmark, not a test: it never fails on timings.
Run from the repository root:  python benchmarks/scale.py [--nodes 10000] [--repeat 3] [--json]
With --json the last line is {"nodes": N, "build_s": ..., "start_s": ..., "bytes_per_node": ...}.
"""
import argparse, asyncio, gc, json, resource, subprocess, sys, time
from fbdev.complib.func import func_component
from fbdev.graph import GraphSpec
from fbdev.net import Net

TARGETS = {'build_s': 0.4, 'start_s': 0.3, 'bytes_per_node': 6000}   # for 10,000 nodes

@func_component
def source() -> int: return 0

@func_component
def inc(x: int) -> int: return x + 1

got = []

@func_component
def sink(x: int) -> None: got.append(x)

def chain_graph(n):
    "The GraphSpec source -> s0 -> ... -> s{n-1} -> sink."
    g = GraphSpec('chain')
    prev = g.add_node('src', source).output.out
    for i in range(n):
        s = g.add_node(f's{i}', inc)
        g.connect(prev, s.input.x)
        prev = s.output.out
    g.connect(prev, g.add_node('sink', sink).input.x)
    return g

def build(n):
    "(seconds to build the GraphSpec and the Net, the net)"
    t = time.perf_counter()
    net = Net(chain_graph(n))
    return time.perf_counter() - t, net

def start(net, n):
    "Seconds of `net.arun()`; checks that every node ended and the sink got `n`."
    got.clear()
    async def timed():
        t = time.perf_counter()
        report = await net.arun()
        return time.perf_counter() - t, report
    dt, report = asyncio.run(timed())
    if not report.ended or got != [n]:
        raise RuntimeError(f'the chain did not end as expected ({got}):\n{report}')
    return dt

def measure_times(n, repeat):
    builds, starts = [], []
    for _ in range(repeat):
        gc.collect()
        b, net = build(n)
        builds.append(b)
        starts.append(start(net, n))
        del net
    return min(builds), min(starts)

def memory_child(n):
    "Run in a fresh process: print the peak RSS growth (bytes) of building and running an n-node chain."
    start(build(10)[1], 10)   # warm up: every code path once
    gc.collect()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    net = build(n)[1]
    start(net, n)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((peak - base) * (1 if sys.platform == 'darwin' else 1024))   # bytes on macOS, KiB on Linux

def measure_memory(n):
    out = subprocess.run([sys.executable, __file__, '--memory-child', str(n)], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1]) / n

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--nodes', type=int, default=10000, help='stages in the chain (default 10000)')
    ap.add_argument('--repeat', type=int, default=3, help='runs per timing; the best counts (default 3)')
    ap.add_argument('--json', action='store_true', help='print the figures as one JSON line at the end')
    ap.add_argument('--memory-child', type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_child: return memory_child(args.memory_child)
    n = args.nodes
    # memory first: on Linux a child starts with its parent's peak RSS, so the parent must still be small
    mem = measure_memory(n)
    b, s = measure_times(n, args.repeat)
    res = {'nodes': n, 'build_s': round(b, 4), 'start_s': round(s, 4), 'bytes_per_node': round(mem)}
    print(f'scale: a chain of {n:,} function components (+ source and sink), best of {args.repeat}')
    scale = n / 10000   # the time targets are for 10,000 nodes; scaled linearly for other sizes
    rows = [('build_s', 'build (GraphSpec + Net)', 's'), ('start_s', 'start (arun to the end)', 's'),
            ('bytes_per_node', 'memory per node (peak RSS)', 'B')]
    for k, what, unit in rows:
        if unit == 's':
            target = TARGETS[k] * scale
            ok, shown = res[k] < target, f'{res[k]:>10.3f} s   target < {target:.3f} s'
        else:
            target = TARGETS[k]
            ok, shown = res[k] <= target, f'{res[k]:>10,} B   target <= {target:,} B'
        print(f'  {what:<28} {shown}: {"met" if ok else "NOT met"}')
    if args.json: print(json.dumps(res))

if __name__ == '__main__': main()
