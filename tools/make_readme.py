"""Write README.md from nbs/index.ipynb, without Quarto (standard library only).

- markdown cells are copied as they are, except that relative links to notebooks (`[net](net.ipynb)`, relative to
  `nbs/`, as the docs site needs them) get the `nbs/` prefix, so they also work from the README at the root;
- code cells become ```python blocks, followed by their text output (stdout and
  `text/plain` results; stderr and errors are left out) in a plain ``` block;
- cells whose leading `#|` directives include `hide` are left out, and `#|` lines are
  dropped from the code shown.

The README's test command is its only ```sh block: `python tools/make_readme.py --test-cmd`
prints it (this is how .ci/run finds it, so the two cannot drift).

Usage: python tools/make_readme.py [--check | --test-cmd]
"""
import json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NB, README = ROOT/'nbs'/'index.ipynb', ROOT/'README.md'

def _src(x): return ''.join(x) if isinstance(x, list) else x

# a markdown link target that is a relative path to a notebook (no scheme, not absolute, not an anchor)
_re_nb_link = re.compile(r'\]\((?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^)\s]+\.ipynb(?:#[^)\s]*)?)\)')

def readme_links(md):
    "`md` with its relative links to notebooks (relative to `nbs/`) made relative to the repository root"
    return _re_nb_link.sub(r'](nbs/\1)', md)

def directives(src):
    "Names of the leading `#|` directives of cell source `src`"
    res = []
    for line in src.splitlines():
        if not line.startswith('#|'): break
        if line[2:].strip(): res.append(line[2:].strip().split(':')[0].split()[0])
    return res

def strip_directives(src):
    "`src` without its `#|` directive lines"
    return '\n'.join(l for l in src.splitlines() if not l.startswith('#|')).strip('\n')

def fenced(txt, lang=''):
    "`txt` in a fenced block long enough not to be closed by `txt` itself"
    fence = '`' * max([3] + [len(m) + 1 for m in re.findall(r'`{3,}', txt)])
    return f'{fence}{lang}\n{txt}\n{fence}'

def cell_output(cell):
    "Text shown for `cell`'s outputs: stdout and `text/plain` results, in order"
    out = []
    for o in cell.get('outputs', []):
        if o['output_type'] == 'stream' and o.get('name') == 'stdout': out.append(_src(o['text']))
        elif o['output_type'] in ('execute_result', 'display_data') and 'text/plain' in o.get('data', {}):
            out.append(_src(o['data']['text/plain']) + '\n')
    return ''.join(out).rstrip()

def nb2md(nb_path=NB):
    "Markdown text of the notebook at `nb_path`"
    parts = []
    for cell in json.loads(Path(nb_path).read_text(encoding='utf-8'))['cells']:
        src = _src(cell['source'])
        if 'hide' in directives(src): continue
        if cell['cell_type'] == 'markdown': parts.append(readme_links(src.strip('\n')))
        elif cell['cell_type'] == 'code':
            code = strip_directives(src)
            if code.strip(): parts.append(fenced(code, 'python'))
            out = cell_output(cell)
            if out: parts.append(fenced(out))
    return '\n\n'.join(p for p in parts if p) + '\n'

def test_cmd(md):
    "The single line of the only ```sh block of markdown `md`"
    blocks = re.findall(r'^```sh\n(.*?)^```$', md, re.M | re.S)
    if len(blocks) != 1: raise ValueError(f'expected exactly one ```sh block in README, found {len(blocks)}')
    lines = blocks[0].strip().splitlines()
    if len(lines) != 1: raise ValueError(f'the ```sh block must hold one command line, found {len(lines)} lines')
    return lines[0].strip()

if __name__ == '__main__':
    arg = sys.argv[1] if len(sys.argv) > 1 else ''
    if arg == '--test-cmd': print(test_cmd(README.read_text(encoding='utf-8')))
    elif arg == '--check':
        if not README.exists() or README.read_text(encoding='utf-8') != nb2md(): sys.exit('README.md is out of date: run python tools/make_readme.py')
    elif not arg:
        README.write_text(nb2md(), encoding='utf-8')
        print(f'wrote {README.relative_to(ROOT)}')
    else: sys.exit(__doc__)
