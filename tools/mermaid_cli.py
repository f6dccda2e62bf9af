"""Mermaid's own renderer, `mmdc` (the npm package @mermaid-js/mermaid-cli), for the diagram tests and for
looking at diagrams: installed on demand into a cache directory, driving the system's Chromium.

    python tools/mermaid_cli.py install             # install mmdc if missing (.ci/run does); print its path
    python tools/mermaid_cli.py render A.mmd A.png  # render one diagram (.svg or .png)

Settings (environment): FBDEV_MERMAID_CLI_DIR, the npm prefix mmdc goes into (default
~/.cache/fbdev-tests/npm-mermaid); FBDEV_CHROMIUM, the browser (default /usr/bin/chromium, Debian's `chromium`
package). Puppeteer's own Chrome download is skipped (PUPPETEER_SKIP_DOWNLOAD=1): the system's browser is used.
"""
import json, os, subprocess, sys, tempfile
from pathlib import Path

VERSION = '12'   # the major version of @mermaid-js/mermaid-cli
MMDC_DIR = Path(os.environ.get('FBDEV_MERMAID_CLI_DIR') or Path.home()/'.cache'/'fbdev-tests'/'npm-mermaid')
CHROMIUM = os.environ.get('FBDEV_CHROMIUM') or '/usr/bin/chromium'
BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--headless=new', '--disable-dev-shm-usage']

def mmdc_path(): return MMDC_DIR/'node_modules'/'.bin'/'mmdc'

def install(timeout=900):
    "The path of `mmdc`, installed with npm into `MMDC_DIR` first if it is missing."
    exe = mmdc_path()
    if exe.exists(): return exe
    MMDC_DIR.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(['npm', 'install', '--no-audit', '--no-fund', '--prefix', str(MMDC_DIR),
                        f'@mermaid-js/mermaid-cli@{VERSION}'], capture_output=True, text=True, timeout=timeout,
                       env={**os.environ, 'PUPPETEER_SKIP_DOWNLOAD': '1'})
    if p.returncode != 0 or not exe.exists():
        raise RuntimeError(f'npm install @mermaid-js/mermaid-cli@{VERSION} into {MMDC_DIR} failed '
                           f'(exit code {p.returncode}):\n{p.stderr[-3000:]}')
    return exe

def check_browser():
    "Raise a clear error if the browser mmdc drives is missing."
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f'no browser at {CHROMIUM}: install Debian\'s Chromium (apt-get install chromium; '
                           '.ci/run does it) or point FBDEV_CHROMIUM at one')

def _config(d):
    cfg = Path(d)/'puppeteer.json'
    cfg.write_text(json.dumps({'executablePath': CHROMIUM, 'args': BROWSER_ARGS}))
    return cfg

def run_mmdc(args, cwd, timeout=120):
    "Run mmdc with `args` (after the browser config) in `cwd`; raise with its error output if it fails."
    check_browser()
    p = subprocess.run([str(install()), '-p', str(_config(cwd)), *map(str, args)], cwd=cwd, capture_output=True,
                       text=True, timeout=timeout)
    if p.returncode != 0:
        err = '\n'.join(l for l in p.stderr.splitlines() if not l.lstrip().startswith('at '))
        raise RuntimeError(f'mmdc failed (exit code {p.returncode}):\n{err[-3000:]}')
    return p

def render(diagrams, out_dir, fmt='svg', timeout=120):
    """Render the Mermaid texts `diagrams` with one run of mmdc (one Markdown file holding a ```mermaid block
    each: mmdc is slow to start); return the paths of the pictures written to `out_dir`, in order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir/'diagrams.md').write_text(''.join(f'```mermaid\n{d}\n```\n\n' for d in diagrams), encoding='utf-8')
    scale = ['-s', '2'] if fmt == 'png' else []   # a sharper picture to look at
    run_mmdc(['-i', 'diagrams.md', '-o', 'rendered.md', '-e', fmt, '-b', 'white', *scale], out_dir, timeout)
    return [out_dir/f'rendered-{k}.{fmt}' for k in range(1, len(diagrams) + 1)]

if __name__ == '__main__':
    cmd, *rest = sys.argv[1:] or ['']
    if cmd == 'install': print(install())
    elif cmd == 'render' and len(rest) == 2:
        src, dst = map(Path, rest)
        with tempfile.TemporaryDirectory() as d:
            out, = render([src.read_text(encoding='utf-8')], d, dst.suffix[1:])
            dst.write_bytes(out.read_bytes())
        print(dst)
    else: sys.exit(__doc__)
