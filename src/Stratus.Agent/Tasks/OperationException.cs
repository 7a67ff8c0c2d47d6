using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tasks;

/// <summary>An operation failure with the kind the workflow engine acts on (fail, retry, or retry after a delay).</summary>
internal sealed class OperationException : Exception
{
    public OperationException()
        : this(TaskError.Recoverable, "Operation failed", null)
    {
    }

    public OperationException(string message)
        : this(TaskError.Recoverable, message, null)
    {
    }

    public OperationException(string message, Exception innerException)
        : base(message, innerException) => Kind = TaskError.Recoverable;

    public OperationException(string kind, string message, double? retryAfter)
        : base(message)
    {
        Kind = kind;
        RetryAfter = retryAfter;
    }

    /// <summary><see cref="TaskError.NonRecoverable"/>, <see cref="TaskError.Recoverable"/> or <see cref="TaskError.OperationRetry"/>.</summary>
    public string Kind { get; }

    public double? RetryAfter { get; }

    public static OperationException NonRecoverable(string message) => new(TaskError.NonRecoverable, message, null);

    public static OperationException Recoverable(string message, double? retryAfter = null) =>
        new(TaskError.Recoverable, message, retryAfter);

    public static OperationException Retry(string message, double? retryAfter) =>
        new(TaskError.OperationRetry, message, retryAfter);
}
