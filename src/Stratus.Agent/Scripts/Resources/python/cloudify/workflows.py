# Stratus stand-in for `cloudify.workflows`, as seen by a workflow script: `from cloudify.workflows import ctx`
# gives the workflow's ctx (docs/workflow-ctx.md), forwarding to the script's ctx proxy ($CTX_SOCKET_URL).
from cloudify.proxy import call


class _Result(object):
    """What execute_operation returns: the operation already ended; get() gives its result, as Cloudify's task does."""

    def __init__(self, value):
        self._value = value

    def get(self):
        return self._value


class _NodeInstance(object):
    def __init__(self, data):
        self._data = data
        self.id = data.get('id')
        self.node_id = data.get('node_id')
        self.host_id = data.get('host_id')
        self.index = data.get('index')

    state = property(lambda self: call('get-node-instance', self.id).get('state'))
    runtime_properties = property(lambda self: call('get-node-instance', self.id).get('runtime_properties') or {})

    def execute_operation(self, operation, kwargs=None, allow_kwargs_override=False, **_):
        return _Result(call('execute-operation', self.id, operation,
                            {'kwargs': kwargs or {}, 'allow_kwargs_override': allow_kwargs_override}))

    def set_state(self, state):
        return _Result(call('set-node-instance-state', self.id, state))

    def update_runtime_properties(self, properties):
        return call('update-runtime-properties', self.id, properties)

    def send_event(self, event, **_):
        return call('send-event', '{0}: {1}'.format(self.id, event), 'workflow_node_event')


class _Node(object):
    def __init__(self, data):
        self._data = data
        self.id = data.get('id')
        self.type = data.get('type')
        self.type_hierarchy = data.get('type_hierarchy') or []
        self.properties = data.get('properties') or {}
        self.number_of_instances = data.get('number_of_instances')
        self.operations = data.get('operations') or []
        self.instances = [_NodeInstance(i) for i in data.get('instances') or []]

    def has_operation(self, operation):
        return operation in self.operations

    def get_node_instance(self, instance_id):
        return next((i for i in self.instances if i.id == instance_id), None)


class _Logger(object):
    def _log(self, level, message, *args):
        call('logger', level, str(message) % args if args else str(message))

    def debug(self, message, *args, **_):
        self._log('debug', message, *args)

    def info(self, message, *args, **_):
        self._log('info', message, *args)

    def warning(self, message, *args, **_):
        self._log('warning', message, *args)

    warn = warning

    def error(self, message, *args, **_):
        self._log('error', message, *args)


class _Named(object):
    def __init__(self, section):
        self._section = section

    id = property(lambda self: call(self._section, 'id'))


class _WorkflowCtx(object):
    def __init__(self):
        self.logger = _Logger()
        self.blueprint = _Named('blueprint')
        self.deployment = _Named('deployment')

    execution_id = property(lambda self: call('execution-id'))
    workflow_id = property(lambda self: call('workflow-id'))
    tenant_name = property(lambda self: call('tenant-name'))
    parameters = property(lambda self: call('parameters') or {})

    @property
    def nodes(self):
        return [_Node(n) for n in call('nodes') or []]

    @property
    def node_instances(self):
        return [_NodeInstance(i) for i in call('node-instances') or []]

    def get_node(self, node_id):
        return _Node(call('get-node', node_id))

    def get_node_instance(self, instance_id):
        return _NodeInstance(call('get-node-instance', instance_id))

    def send_event(self, event, event_type='workflow_stage', **_):
        return call('send-event', event, event_type)

    def returns(self, value):
        call('returns', value)


ctx = _WorkflowCtx()
