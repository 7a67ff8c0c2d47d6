# Stratus: the operation ctx for Python scripts, over Cloudify's ctx-proxy protocol (POST {"args": [...]}).
import atexit
import json
import os
import urllib.request
from collections.abc import Mapping, MutableMapping


class CtxRequestError(RuntimeError):
    def __init__(self, ex_type, message):
        super().__init__('{0}: {1}'.format(ex_type, message))
        self.ex_type = ex_type
        self.ex_message = message


def call(*args, stop_raises=True):
    url = os.environ.get('CTX_SOCKET_URL')
    if not url:
        raise RuntimeError('Missing CTX_SOCKET_URL environment variable')
    request = urllib.request.Request(
        url, data=json.dumps({'args': list(args)}).encode('utf-8'),
        headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=float(os.environ.get('CTX_TIMEOUT') or 300)) as response:
        reply = json.loads(response.read().decode('utf-8'))
    payload = reply.get('payload')
    if reply.get('type') == 'error':
        raise CtxRequestError(payload.get('type'), payload.get('message'))
    if reply.get('type') == 'stop_operation':
        if stop_raises:
            raise SystemExit(payload.get('message'))
        return None
    return payload


def _missing(error):
    return isinstance(error, CtxRequestError) and 'illegal path' in error.ex_message


class _Properties(Mapping):
    def __init__(self, prefix):
        self._prefix = prefix

    def __getitem__(self, key):
        try:
            return call(*self._prefix, 'properties', key)
        except CtxRequestError as error:
            if _missing(error):
                raise KeyError(key)
            raise

    def _all(self):
        return call(*self._prefix, 'properties') or {}

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def __contains__(self, key):
        return key in self._all()

    def get(self, key, default=None):
        return self._all().get(key, default)


class _RuntimeProperties(MutableMapping):
    """Read once, edited in memory (nested values too, as in Cloudify), written back key by key on flush."""

    def __init__(self, prefix):
        self._prefix = prefix
        self._data = None
        self._original = None

    def _load(self):
        if self._data is None:
            self._data = call(*self._prefix, 'runtime-properties') or {}
            self._original = json.loads(json.dumps(self._data))
            _TRACKED.append(self)
        return self._data

    def __getitem__(self, key):
        return self._load()[key]

    def __setitem__(self, key, value):
        self._load()[key] = value

    def __delitem__(self, key):
        del self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __contains__(self, key):
        return key in self._load()

    def flush(self):
        if self._data is None:
            return
        for key, value in self._data.items():
            if key not in self._original or self._original[key] != value:
                call(*self._prefix, 'runtime-properties', key, value)
        for key in self._original:
            if key not in self._data:
                # The ctx protocol has no delete; like Cloudify's own ctx wrapper, a deleted key becomes null.
                call(*self._prefix, 'runtime-properties', key, None)
        self._original = json.loads(json.dumps(self._data))

    def refresh(self):
        self._data = None


_TRACKED = []


def flush_runtime_properties():
    for properties in _TRACKED:
        properties.flush()


class _Node(object):
    def __init__(self, prefix):
        self._prefix = prefix + ['node']

    properties = property(lambda self: _Properties(self._prefix))
    id = property(lambda self: call(*self._prefix, 'id'))
    name = property(lambda self: call(*self._prefix, 'name'))
    type = property(lambda self: call(*self._prefix, 'type'))
    type_hierarchy = property(lambda self: call(*self._prefix, 'type-hierarchy'))
    number_of_instances = property(lambda self: call(*self._prefix, 'number-of-instances'))


class _Instance(object):
    def __init__(self, prefix):
        self._prefix = prefix + ['instance']
        self._runtime_properties = _RuntimeProperties(self._prefix)

    runtime_properties = property(lambda self: self._runtime_properties)
    id = property(lambda self: call(*self._prefix, 'id'))
    host_ip = property(lambda self: call(*self._prefix, 'host-ip'))
    index = property(lambda self: call(*self._prefix, 'index'))

    def update(self, on_conflict=None):
        self._runtime_properties.flush()
        call(*self._prefix, 'update')

    def refresh(self, force=False):
        self._runtime_properties.flush()
        call(*self._prefix, 'refresh', force)
        self._runtime_properties.refresh()


class _Subject(object):
    def __init__(self, name):
        self.node = _Node([name])
        self.instance = _Instance([name])


class _Logger(object):
    def _log(self, level, message, *args):
        text = str(message) % args if args else str(message)
        call('logger', level, text)

    def debug(self, message, *args, **kwargs):
        self._log('debug', message, *args)

    def info(self, message, *args, **kwargs):
        self._log('info', message, *args)

    def warning(self, message, *args, **kwargs):
        self._log('warning', message, *args)

    warn = warning

    def error(self, message, *args, **kwargs):
        self._log('error', message, *args)

    def critical(self, message, *args, **kwargs):
        self._log('critical', message, *args)

    def exception(self, message, *args, **kwargs):
        self._log('error', message, *args)


class _Operation(object):
    name = property(lambda self: call('operation', 'name'))
    retry_number = property(lambda self: call('operation', 'retry-number'))
    max_retries = property(lambda self: call('operation', 'max-retries'))

    def retry(self, message=None, retry_after=None):
        from cloudify.exceptions import OperationRetry
        call('operation', 'retry', message, retry_after)
        return OperationRetry(message, retry_after)


class _BlueprintContext(object):
    id = property(lambda self: call('blueprint', 'id'))


class _DeploymentContext(object):
    id = property(lambda self: call('deployment', 'id'))
    display_name = property(lambda self: call('deployment', 'display-name'))
    tenant_name = property(lambda self: call('deployment', 'tenant-name'))


class _Ctx(object):
    def __init__(self):
        self.logger = _Logger()
        self.operation = _Operation()
        self.blueprint = _BlueprintContext()
        self.deployment = _DeploymentContext()
        self.node = _Node([])
        self.instance = _Instance([])
        self.source = _Subject('source')
        self.target = _Subject('target')

    type = property(lambda self: call('type'))
    execution_id = property(lambda self: call('execution-id'))
    workflow_id = property(lambda self: call('workflow-id'))
    task_id = property(lambda self: call('task-id'))
    task_name = property(lambda self: call('task-name'))
    tenant_name = property(lambda self: call('tenant-name'))
    workflow_parameters = property(lambda self: call('workflow-parameters'))

    def returns(self, value):
        call('returns', value)

    # As in Cloudify's script runner, these record the outcome and return; the script decides when to stop.
    def abort_operation(self, message=None):
        return call('abort-operation', message, stop_raises=False)

    def retry_operation(self, message=None, retry_after=None):
        return call('retry-operation', message, retry_after, stop_raises=False)

    def download_resource(self, resource_path, target_path=None):
        return call('download-resource', resource_path, target_path)

    def download_resource_and_render(self, resource_path, target_path=None, template_variables=None):
        return call('download-resource-and-render', resource_path, target_path,
                    {'template_variables': template_variables or {}})

    def get_resource(self, resource_path):
        return call('get-resource', resource_path)

    def get_resource_and_render(self, resource_path, template_variables=None):
        return call('get-resource-and-render', resource_path, {'template_variables': template_variables or {}})


ctx = _Ctx()
atexit.register(flush_runtime_properties)
