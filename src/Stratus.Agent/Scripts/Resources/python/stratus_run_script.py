# Stratus: runs an operation's Python script like Cloudify's script runner does (as __main__), and turns the
# exceptions Cloudify scripts raise into the ctx calls that decide the operation's outcome.
import runpy
import sys
import traceback

from cloudify import ctx
from cloudify.proxy import flush_runtime_properties
from cloudify.exceptions import NonRecoverableError, OperationRetry, RecoverableError


def main(script_path):
    sys.argv = [script_path] + sys.argv[2:]
    try:
        try:
            runpy.run_path(script_path, run_name='__main__')
        finally:
            flush_runtime_properties()
    except OperationRetry as error:
        ctx.retry_operation(str(error), error.retry_after)
        sys.exit(1)
    except NonRecoverableError as error:
        traceback.print_exc()
        ctx.abort_operation(str(error))
        sys.exit(1)
    except RecoverableError as error:
        traceback.print_exc()
        if error.retry_after is not None:
            ctx.retry_operation(str(error), error.retry_after)
        sys.exit(1)


if __name__ == '__main__':
    main(sys.argv[1])
