# Stratus stand-in for Cloudify's `cloudify` package, as seen by operation scripts:
# `from cloudify import ctx` gives an object that forwards to the operation's ctx proxy ($CTX_SOCKET_URL).
from cloudify.proxy import ctx  # noqa: F401
