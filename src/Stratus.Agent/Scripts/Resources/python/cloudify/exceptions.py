# Stratus stand-in for cloudify.exceptions: the error kinds a script raises to steer retries.


class NonRecoverableError(Exception):
    def __init__(self, *args, **kwargs):
        self.causes = kwargs.pop('causes', [])
        super().__init__(*args)


class RecoverableError(Exception):
    def __init__(self, message='', retry_after=None, causes=None, **kwargs):
        self.retry_after = retry_after
        self.causes = causes or []
        super().__init__(message)


class OperationRetry(RecoverableError):
    pass


class HttpException(NonRecoverableError):
    pass


class CommandExecutionException(Exception):
    pass
