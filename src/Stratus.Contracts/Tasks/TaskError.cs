using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

public sealed record TaskError
{
    public const string NonRecoverable = "NonRecoverableError";
    public const string Recoverable = "RecoverableError";
    public const string OperationRetry = "OperationRetry";

    [JsonPropertyName("exception_type")]
    public required string ExceptionType { get; init; }

    [JsonPropertyName("message")]
    public required string Message { get; init; }

    [JsonPropertyName("traceback")]
    public string? Traceback { get; init; }

    /// <summary>NonRecoverableError, RecoverableError or OperationRetry.</summary>
    [JsonPropertyName("known_exception_type")]
    public string? KnownExceptionType { get; init; }

    /// <summary>For OperationRetry and RecoverableError: <c>[retry_after_seconds]</c>.</summary>
    [JsonPropertyName("known_exception_type_args")]
    public JsonArray? KnownExceptionTypeArgs { get; init; }

    [JsonPropertyName("known_exception_type_kwargs")]
    public JsonObject? KnownExceptionTypeKwargs { get; init; }
}
