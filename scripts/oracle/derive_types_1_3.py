#!/usr/bin/python3
# Usage: CLOUDIFY_MANAGER_DIR=<cloudify-manager tree> /usr/bin/python3 scripts/oracle/derive_types_1_3.py > src/Stratus.Dsl/Types/types_1_3.yaml
# Derives Stratus's types_1_3.yaml from its own types.yaml, applying the differences between Cloudify's types.yaml
# and types_1_3.yaml (facts: which entries exist and their values), so DSL 1_0-1_3 blueprints see 1_3's types.
import copy
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
cm = os.path.join(os.environ['CLOUDIFY_MANAGER_DIR'], 'resources', 'rest-service', 'cloudify', 'types') + '/'
a = yaml.safe_load(open(cm + 'types.yaml')); b = yaml.safe_load(open(cm + 'types_1_3.yaml'))
ours = yaml.safe_load(open(os.path.join(ROOT, 'src', 'Stratus.Dsl', 'Types', 'types.yaml')))
ops = []
def diff(x, y, p):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in x:
            if k not in y: ops.append(('del', p + [k], None))
            else: diff(x[k], y[k], p + [k])
        for k in y:
            if k not in x: ops.append(('set', p + [k], y[k]))
    elif x != y: ops.append(('set', p, y))
diff(a, b, [])
missing = []
for op, path, value in ops:
    node = ours
    for k in path[:-1]:
        if not isinstance(node, dict) or k not in node: node = None; break
        node = node[k]
    if node is None:
        missing.append(path); continue
    if op == 'del':
        if path[-1] in node: del node[path[-1]]
        else: missing.append(path)
    else:
        node[path[-1]] = copy.deepcopy(value)
if missing: print('not in ours:', missing, file=sys.stderr)
header = ('# Stratus built-in types as blueprints of cloudify_dsl_1_0 to 1_3 see them: types.yaml without what DSL 1_4\n'
          '# added (Cloudify serves such blueprints its types_1_3.yaml). Derived from types.yaml by\n'
          '# scripts/oracle/derive_types_1_3.py; run it again after changing types.yaml.\n\n')
sys.stdout.write(header + yaml.safe_dump(ours, sort_keys=False, default_flow_style=False, width=120))
