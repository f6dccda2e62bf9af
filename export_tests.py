"""Export the test notebooks test_nbs/*.ipynb to pytest modules tests/test_*.py, then clean them.

test_nbs/NN_name.ipynb -> tests/test_name.py: the notebook's code cells in order, without
- cells whose leading `#|` directives include `skip` (e.g. cells that only call a test to
  show its result in the notebook) or `eval: false`;
- cells starting with a `%%` cell magic, and lines starting with `%` or `!` (IPython magics);
- `#|` directive lines.
A notebook without the `NN_` prefix holds helpers shared by the tests: test_nbs/helpers.ipynb
-> tests/helpers.py, the same way. Pytest collects only tests/test_*.py, so it runs no
helper module as tests. The tests import helpers by name (`from helpers import inc`):
- under pytest, tests/ is on `sys.path` (pytest puts a test module's directory there when,
  like tests/, it is not a package);
- a test notebook running in test_nbs/ first runs a `#| skip` cell
  `import sys; sys.path.insert(0, '..'); import export_tests; export_tests.use_helpers()`,
  which writes the helper modules afresh from their notebooks and puts tests/ on `sys.path`.
Generated files no longer matching a notebook are removed. Finally runs
`nbdev-clean --fname test_nbs` so the notebooks stay clean.
"""
import json, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
NBS, TESTS = ROOT/'test_nbs', ROOT/'tests'
HDR = '# generated from test_nbs/{} by export_tests.py; do not edit\n'

def _directives(lines):
    "{name: value} of the leading `#|` directive lines"
    res = {}
    for l in lines:
        if not l.startswith('#|'): break
        name, _, val = l[2:].partition(':')
        if name.strip(): res[name.split()[0]] = val.strip()
    return res

def nb2py(nb_path):
    "Pytest module source for the test notebook at `nb_path`"
    parts = [HDR.format(nb_path.name)]
    for cell in json.loads(nb_path.read_text(encoding='utf-8'))['cells']:
        if cell['cell_type'] != 'code': continue
        src = cell['source']
        lines = (''.join(src) if isinstance(src, list) else src).splitlines()
        dirs = _directives(lines)
        if 'skip' in dirs or dirs.get('eval') == 'false': continue
        code = [l for l in lines if not l.startswith(('#|', '%', '!'))]
        if not code or code[0].startswith('%%'): continue
        code = '\n'.join(code).strip('\n')
        if code.strip(): parts.append(code + '\n')
    return '\n\n'.join(parts)

def test_name(nb_path):
    "File name in tests/ for `nb_path`: `test_name.py` for a test notebook `NN_name`, `name.py` for helpers"
    m = re.match(r'\d+_(.*)', nb_path.stem)
    return f'test_{m[1]}.py' if m else f'{nb_path.stem}.py'

def write(nb, dest):
    "Write the module of notebook `nb` to `dest` if it changed"
    src = nb2py(nb)
    if not dest.exists() or dest.read_text(encoding='utf-8') != src: dest.write_text(src, encoding='utf-8')

def helper_nbs(): return [nb for nb in sorted(NBS.glob('*.ipynb')) if not re.match(r'\d+_', nb.stem)]

def use_helpers():
    "For a test notebook running in test_nbs/: write the helper modules afresh and make them importable"
    TESTS.mkdir(exist_ok=True)
    for nb in helper_nbs(): write(nb, TESTS/test_name(nb))
    if str(TESTS) not in sys.path: sys.path.insert(0, str(TESTS))

def main():
    TESTS.mkdir(exist_ok=True)
    written = set()
    for nb in sorted(NBS.glob('*.ipynb')):
        dest = TESTS/test_name(nb)
        if dest in written: sys.exit(f'two test notebooks export to {dest.name}')
        written.add(dest)
        write(nb, dest)
        print(f'{nb.relative_to(ROOT)} -> {dest.relative_to(ROOT)}')
    for f in TESTS.glob('*.py'):
        if f not in written and f.read_text(encoding='utf-8').startswith('# generated from test_nbs/'):
            f.unlink()
            print(f'removed stale {f.relative_to(ROOT)}')
    clean = shutil.which('nbdev-clean', path=str(Path(sys.executable).parent)) or 'nbdev-clean'
    subprocess.run([clean, '--fname', str(NBS)], check=True, cwd=ROOT)

if __name__ == '__main__': main()
