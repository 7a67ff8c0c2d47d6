# Stratus stand-in for cloudify.state: the operation's inputs as `ctx_parameters`.
import json
import os

from cloudify.proxy import ctx  # noqa: F401


def _load_parameters():
    path = os.environ.get('STRATUS_CTX_PARAMETERS_FILE')
    if not path or not os.path.exists(path):
        return {}
    with open(path) as parameters:
        return json.load(parameters)


ctx_parameters = _load_parameters()
