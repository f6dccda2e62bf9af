"""Placement throughput: a pass-through node placed local, on a thread, in a process and on Ray, against baselines
measured in the same run.

The net is source -> p -> sink, moving N integers; only `p` is placed (source and sink stay local). `p` is a
`Relay`, a class component that receives each value and sends it on. For each placement the script times
`await net.arun()` for N packets and for none, and counts N / (difference): the rate of packets through the
node, its worker's start and end left out. It prints packets/s and these ratios:

- `process_vs_pipe`: process placement against a bare `multiprocessing.connection` pipe carrying the same
  values the same way, from this process to a child process and back, one pickled value per message (the child
  echoes each value; this process sends from a thread while its main thread receives); target >= 0.5;
- `thread_vs_local`: thread placement against local placement;
- `ray_vs_local`: Ray placement against local placement (null if Ray is not installed).

With `--json` it ends with one JSON line, `{"process_vs_pipe": r, "thread_vs_local": r, "ray_vs_local": r}`.
This is a benchmark, not a test: it never fails on timings. Run from the repository root:

    python benchmarks/placement.py --json            # N=50000, best of 3
    python benchmarks/placement.py --n 10000 --repeat 1 --capacity 64
"""
import argparse, asyncio, gc, json, logging, os, secrets, threading, time
from multiprocessing import Pipe, Process
from fbdev.core.components import Component, ExecComponent, Option
from fbdev.core.specs import PortSpec
from fbdev.graph import GraphSpec
from fbdev.net import Net

class Source(ExecComponent):
    "Sends `n` integers (run with mode='once')."
    port_specs = (PortSpec.output('out'),)
    n = Option(int, 0, 'how many values to send')
    async def execute(self):
        send = self.ports.output.out.send
        for i in range(self.n): await send(i)

class Relay(Component):
    "Receives each value and sends it on: the placed node."
    port_specs = (PortSpec.input('x'), PortSpec.output('out'))
    async def run(self):
        out = self.ports.output.out
        async for v in self.ports.input.x: await out.send(v)

class Sink(Component):
    "Receives every value."
    port_specs = (PortSpec.input('x'),)
    async def run(self):
        async for _ in self.ports.input.x: pass

def graph(n, capacity):
    "source -> p -> sink, every edge holding at most `capacity` packets."
    g = GraphSpec('placement')
    s, p, k = g.add_node('src', Source, n=n, mode='once'), g.add_node('p', Relay), g.add_node('sink', Sink)
    g.connect(s.output.out, p.input.x, maxsize=capacity)
    g.connect(p.output.out, k.input.x, maxsize=capacity)
    return g

async def timed_run(n, capacity, placement):
    "Seconds `arun` takes for `n` packets with `p` placed as `placement`."
    net = Net(graph(n, capacity), settings={'nodes': {'TOP->p': {'placement': placement}}})
    gc.collect()
    t = time.perf_counter()
    r = await net.arun(600)
    t = time.perf_counter() - t
    assert r.status == 'finished', r
    return t

def node_rate(n, capacity, placement, repeat):
    "Packets/s through `p` placed as `placement`: N over the time beyond an empty run's, best of `repeat`."
    best = 0
    for _ in range(repeat):
        full, empty = asyncio.run(timed_run(n, capacity, placement)), asyncio.run(timed_run(0, capacity, placement))
        best = max(best, n / max(full - empty, 1e-9))
    return best

def _echo(conn):
    "The baseline's child process: send back every value received, until None."
    while (v := conn.recv()) is not None: conn.send(v)

def pipe_rate(n, repeat):
    "Packets/s of the same values through a bare pickled pipe to a child process and back, best of `repeat`."
    best = 0
    for _ in range(repeat):
        here, there = Pipe()
        child = Process(target=_echo, args=(there,))
        child.start()
        here.send(-1); here.recv()   # the child is up: time the values only
        def send():
            for i in range(n): here.send(i)
        t = time.perf_counter()
        w = threading.Thread(target=send)
        w.start()
        for _ in range(n): here.recv()
        t = time.perf_counter() - t
        w.join()
        here.send(None)
        child.join()
        best = max(best, n / t)
    return best

def start_ray():
    "Start a local Ray instance, quietly (as the tests do); False if Ray is not installed."
    os.environ.update(RAY_USAGE_STATS_ENABLED='0', RAY_AUTH_MODE='token', RAY_AUTH_TOKEN=secrets.token_hex(32))
    try: import ray
    except ImportError: return False
    ray.init(address='local', num_cpus=2, include_dashboard=False, log_to_driver=False,
             logging_level=logging.WARNING, namespace='fbdev-benchmarks')
    return True

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--n', type=int, default=50000, help='packets per run')
    ap.add_argument('--repeat', type=int, default=3, help='runs per measurement (the best counts)')
    ap.add_argument('--capacity', type=int, default=64, help='capacity of each edge')
    ap.add_argument('--json', action='store_true', help='end with one JSON line of the ratios')
    a = ap.parse_args()
    rates = {'pipe': pipe_rate(a.n, a.repeat)}
    for p in ('local', 'thread', 'process') + (('ray',) if start_ray() else ()):
        rates[p] = node_rate(a.n, a.capacity, p, a.repeat)
    for k, v in rates.items(): print(f'{k:>8}: {v:12,.0f} packets/s')
    ratios = {'process_vs_pipe': rates['process'] / rates['pipe'], 'thread_vs_local': rates['thread'] / rates['local'],
              'ray_vs_local': rates['ray'] / rates['local'] if 'ray' in rates else None}
    for k, v in ratios.items(): print(f'{k}: {"n/a" if v is None else f"{v:.3f}"}' + ('  (target >= 0.5)' if k == 'process_vs_pipe' else ''))
    if a.json: print(json.dumps({k: None if v is None else round(v, 4) for k, v in ratios.items()}))

if __name__ == '__main__': main()
