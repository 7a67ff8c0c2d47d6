from cloudify import ctx
