#!/usr/bin/python3
"""Compare Stratus's parser with Cloudify's on a folder of real blueprints (e.g. blueprint-examples).

Runs Cloudify's parser (../shared/peer/parse_blueprint.py, with the env of ../shared/peer/setup.sh --env) and
`bench summarize` on every blueprint under the given folders, each with the plugin yaml its DSL version would get
from a manager (plugin_1_4.yaml / plugin_1_5.yaml, else plugin.yaml) and, when a blueprint has required inputs
without defaults, generated inputs (one placeholder value per type) given to both. Prints one line per blueprint and
the counts.

  python3 scripts/oracle/compare_public.py --out /tmp/cmp --plugins PLUGINS_DIR DIR [DIR...]

PLUGINS_DIR holds one folder per plugin package (cloudify-aws-plugin/plugin.yaml, plugin_1_4.yaml, ...).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEER = os.path.join(ROOT, '..', 'shared', 'peer', 'parse_blueprint.py')
BENCH = os.path.join(ROOT, 'bench', 'Stratus.Bench', 'bin', 'Release', 'net10.0', 'Stratus.Bench.dll')
PLACEHOLDERS = {'integer': 1, 'float': 1.5, 'boolean': True, 'list': [], 'dict': {}}


def version_of(path):
    with open(path, errors='replace') as f:
        m = re.search(r'cloudify_dsl_(1_[0-9])', f.read())
    v = m.group(1) if m else '1_3'
    return v if v in ('1_4', '1_5') else '1_3'


def plugin_dirs(source, out):
    """One folder per DSL version, each plugin's yaml for that version as plugin.yaml."""
    dirs = {}
    for v in ('1_3', '1_4', '1_5'):
        target = os.path.join(out, 'plugins-' + v)
        for name in sorted(os.listdir(source)):
            candidates = ([] if v == '1_3' else ['plugin_%s.yaml' % v]) + ['plugin.yaml']
            for c in candidates:
                path = os.path.join(source, name, c)
                if os.path.isfile(path):
                    os.makedirs(os.path.join(target, name), exist_ok=True)
                    shutil.copyfile(path, os.path.join(target, name, 'plugin.yaml'))
                    break
        dirs[v] = target
    return dirs


def oracle(blueprint, plugins, inputs=None, plan_only=False):
    cmd = ['/usr/bin/python3', PEER, blueprint, '--plugins', plugins]
    if inputs:
        cmd += ['-i', inputs]
    if plan_only:
        cmd.append('--plan-only')
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {'error': 'OracleCrash', 'err_code': None, 'message': r.stderr.strip().splitlines()[-1:]}


def run_oracle(job):
    blueprint, plugins, out = job['blueprint'], job['plugins'], job['out']
    result = oracle(blueprint, plugins)
    if result.get('error') == 'MissingRequiredInputError':
        plan = oracle(blueprint, plugins, plan_only=True)
        values = {name: PLACEHOLDERS.get(spec.get('type'), 'x')
                  for name, spec in (plan.get('inputs') or {}).items() if 'default' not in spec}
        job['inputs'] = os.path.join(out, 'inputs.json')
        with open(job['inputs'], 'w') as f:
            json.dump(values, f)
        result = oracle(blueprint, plugins, inputs=job['inputs'])
    with open(os.path.join(out, 'cloudify.json'), 'w') as f:
        json.dump(result, f)
    return job


def first_difference(a, b, path=''):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return '%s.%s: only Stratus' % (path, k)
            if k not in b:
                return '%s.%s: only Cloudify' % (path, k)
            d = first_difference(a[k], b[k], '%s.%s' % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return '%s: %d items vs %d' % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, '%s[%d]' % (path, i))
            if d:
                return d
        return None
    if a == b and isinstance(a, bool) == isinstance(b, bool):
        return None
    return '%s: Cloudify %s, Stratus %s' % (path, json.dumps(a)[:100], json.dumps(b)[:100])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--plugins', required=True)
    ap.add_argument('dirs', nargs='+')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    plugins = plugin_dirs(args.plugins, args.out)
    jobs = []
    for d in args.dirs:
        for base, _, files in os.walk(d):
            for name in sorted(files):
                path = os.path.join(base, name)
                if not name.endswith('.yaml'):
                    continue
                with open(path, errors='replace') as f:
                    if 'tosca_definitions_version' not in f.read():
                        continue
                out = os.path.join(args.out, 'cases', os.path.relpath(path, '/').replace('/', '__'))
                os.makedirs(out, exist_ok=True)
                jobs.append({'blueprint': path, 'plugins': plugins[version_of(path)], 'out': out, 'inputs': ''})
    with ThreadPoolExecutor(2) as pool:
        jobs = list(pool.map(run_oracle, jobs))
    lines = ''.join('%s\t%s\t%s\t%s\n' % (j['blueprint'], j['inputs'], os.path.join(j['out'], 'stratus.json'), j['plugins'])
                    for j in jobs)
    subprocess.run(['dotnet', BENCH, 'summarize'], input=lines, text=True, check=True)
    counts = {}
    for j in jobs:
        with open(os.path.join(j['out'], 'cloudify.json')) as f:
            theirs = json.load(f)
        with open(os.path.join(j['out'], 'stratus.json')) as f:
            ours = json.load(f)
        if 'error' in theirs or 'error' in ours:
            if 'error' in theirs and 'error' in ours:
                kind = 'both-refuse'
            else:
                kind = 'only-cloudify-refuses' if 'error' in theirs else 'only-stratus-refuses'
            detail = ' | '.join(str(x.get('err_code')) + ' ' + str(x.get('message', ''))[:110].replace('\n', ' ')
                                for x in (theirs, ours) if 'error' in x)
        else:
            detail = first_difference(theirs, ours) or ''
            if not detail:
                kind = 'same'
            else:
                rest = first_difference({k: v for k, v in theirs.items() if k != 'resolved_inputs'},
                                        {k: v for k, v in ours.items() if k != 'resolved_inputs'})
                kind = 'differ' if rest else 'differ-in-input-values-only'
                detail = rest or detail
        counts[kind] = counts.get(kind, 0) + 1
        print('%-28s %s %s' % (kind, j['blueprint'], detail))
    print(json.dumps(counts, sort_keys=True))


if __name__ == '__main__':
    sys.exit(main())
