# The backup_all workflow: for every instance whose node implements demo.maintenance.backup, run it (the engine runs
# it as a task of this execution, with its retries and events) and note the result in the instance's runtime properties.
from cloudify.workflows import ctx

label = ctx.parameters['label']
ctx.logger.info('Backing up deployment {0} ({1})'.format(ctx.deployment.id, label))
count = 0
for node in ctx.nodes:
    if not node.has_operation('demo.maintenance.backup'):
        continue
    for instance in node.instances:
        path = instance.execute_operation(
            'demo.maintenance.backup', kwargs={'label': label}, allow_kwargs_override=True).get()
        instance.update_runtime_properties({'backup_path': path, 'backed_up_by': ctx.execution_id})
        count += 1
ctx.send_event('Backed up {0} instance(s) of {1}'.format(count, ctx.deployment.id))
