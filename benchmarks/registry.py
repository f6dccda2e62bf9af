"""Packet registry at scale: memory per recorded event, flat memory when streamed to SQLite, query times.

The net is a chain source -> stage -> sink of class components (the stage receives each value and sends it on
in a new packet), run as a `Net` with a `PacketRegistry`; each value makes 2 packets and about 8 records.

- bytes/event: a run of `--small` values with an in-memory registry; the memory still held once the net is gone
  (tracemalloc), divided by the number of records. Target: <= 40 B.
- rss 1M / 100k: the same net with 1,000,000 and with 100,000 packets, each run in its own subprocess with a
  registry streamed to SQLite (`PacketRegistry(path=...)`); the ratio of their peak RSS
  (`resource.getrusage`). Target: <= 1.5.
- query times after the 1M-packet run (in its subprocess, on the streamed registry): `history` of packets
  picked across the run, and `at` / `location` / `passed` on the stage's addresses. Targets: `history` < 10 ms,
  `at` < 50 ms.

Run from the repository root: python benchmarks/registry.py [--json] [--big 500000] [--small 50000]
(`--big` is the number of values: 500,000 values make 1M packets). It takes about a minute or two.
This is a benchmark, not a test: it never fails on timings.
"""
import argparse, asyncio, gc, json, os, resource, subprocess, sys, tempfile, time, tracemalloc
from fbdev.core.components import ExecComponent, Option
from fbdev.core.specs import PortSpec
from fbdev.graph import GraphSpec
from fbdev.net import Net
from fbdev.registry import PacketRegistry

class Source(ExecComponent):
    "Sends `n` values (run with mode='once')."
    port_specs = (PortSpec.output('out'),)
    n = Option(int, 0, 'how many values to send')
    async def execute(self):
        send = self.ports.output.out.send
        for i in range(self.n): await send(i)

class Stage(ExecComponent):
    "Receives a value and sends it on in a new packet."
    port_specs = (PortSpec.input('inp'), PortSpec.output('out'))
    async def on_start(self): self.inp, self.out = self.ports.input.inp, self.ports.output.out
    async def execute(self): await self.out.send(await self.inp.receive())

class Sink(ExecComponent):
    "Receives (consumes) values."
    port_specs = (PortSpec.input('inp'),)
    async def on_start(self): self.inp = self.ports.input.inp
    async def execute(self): await self.inp.receive()

def chain(n):
    g = GraphSpec('chain')
    s, st, k = g.add_node('src', Source, n=n, mode='once'), g.add_node('stage', Stage), g.add_node('sink', Sink)
    g.connect(s.output.out, st.input.inp, 10)
    g.connect(st.output.out, k.input.inp, 10)
    return g

def run(n, registry):
    net = Net(chain(n), registry=registry)
    asyncio.run(net.arun())
    return net

def bytes_per_event(n):
    "Memory an in-memory registry keeps per record after a run of `n` values (the net itself let go)."
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    reg = PacketRegistry()
    net = run(n, reg)
    del net
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    c = reg.counts()
    assert c['consumed'] == 2 * n and c['created'] == c['consumed'] + c['resident'], c
    return held / len(reg), len(reg)

def child(n, path):
    "One streamed run in this process: its peak RSS, then query times (printed as JSON)."
    t = time.perf_counter()
    with PacketRegistry(path=path) as reg:
        run(n, reg)
    secs = time.perf_counter() - t
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reg = PacketRegistry.open(path)
    recs = len(reg)
    import sqlite3
    with sqlite3.connect(path) as db:
        ids = [int(r[0], 16) for r in db.execute('SELECT id FROM fbdev_packets WHERE ix % ? = 0',
                                                 (max(1, n // 10),))]
    def best(f, *args, k=3):
        ts = []
        for _ in range(k):
            t = time.perf_counter(); f(*args); ts.append(time.perf_counter() - t)
        return min(ts) * 1000
    hist = max(best(reg.history, pid) for pid in ids)
    loc = max(best(reg.location, pid) for pid in ids)
    at = max(best(reg.at, a) for a in ('TOP->stage', 'TOP->sink:input.inp', 'TOP', 'outside'))
    t = time.perf_counter(); reg.passed('TOP->stage:output.out'); passed = (time.perf_counter() - t) * 1000
    t = time.perf_counter(); c = reg.counts(); counts_ms = (time.perf_counter() - t) * 1000
    print(json.dumps(dict(n=n, records=recs, seconds=secs, rss_mb=rss_kb / 1024, history_ms=hist, location_ms=loc,
                          at_ms=at, passed_ms=passed, counts_ms=counts_ms, counts=c,
                          file_mb=os.path.getsize(path) / 2**20)))

def in_child(n, tmp):
    path = os.path.join(tmp, f'run{n}.sqlite')
    out = subprocess.run([sys.executable, __file__, '--child', str(n), path], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--json', action='store_true', help='print one JSON line after the summary')
    ap.add_argument('--big', type=int, default=500_000, help='values in the big streamed run (2 packets each)')
    ap.add_argument('--small', type=int, default=50_000, help='values in the in-memory run')
    ap.add_argument('--child', nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child: return child(int(a.child[0]), a.child[1])
    t0 = time.perf_counter()
    bpe, recs = bytes_per_event(a.small)
    print(f'in memory: {a.small} values, {2 * a.small} packets, {recs} records: {bpe:.1f} bytes per record')
    with tempfile.TemporaryDirectory() as tmp:
        small, big = in_child(a.big // 10, tmp), in_child(a.big, tmp)
    for r in (small, big):
        print(f"streamed:  {2 * r['n']:>8} packets, {r['records']:>8} records in {r['seconds']:6.1f} s, "
              f"peak RSS {r['rss_mb']:6.1f} MB, file {r['file_mb']:6.1f} MB")
    ratio = big['rss_mb'] / small['rss_mb']
    print(f"queries after the {2 * big['n']} packet run (worst of several, best of 3 each): history "
          f"{big['history_ms']:.2f} ms, location {big['location_ms']:.2f} ms, at {big['at_ms']:.2f} ms; "
          f"passed (one address, {2 * big['n']} packets) {big['passed_ms']:.0f} ms, "
          f"counts {big['counts_ms']:.0f} ms")
    load = os.getloadavg()[0]
    res = dict(bytes_per_event=round(bpe, 1), rss_1m_over_100k=round(ratio, 3),
               history_ms=round(big['history_ms'], 3), at_ms=round(big['at_ms'], 3))
    targets = [('bytes_per_event', 40), ('rss_1m_over_100k', 1.5), ('history_ms', 10), ('at_ms', 50)]
    print('targets:')
    for k, lim in targets:
        print(f"  {k:<18} {res[k]:>10}  target <= {lim:<5} {'met' if res[k] <= lim else 'NOT met'}")
    print(f'({time.perf_counter() - t0:.0f} s in all; load average {load:.2f} on {os.cpu_count()} cores)')
    if a.json: print(json.dumps(res))

if __name__ == '__main__': main()
