using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Contracts.Tasks;

public sealed record TaskError
{
    public const string NonRecoverable = "NonRecoverableError";
    public const string Recoverable = "RecoverableError";
    public const string OperationRetry = "OperationRetry";

    /// <summary>
    /// The <see cref="ExceptionType"/> of a recoverable failure an agent replies when it could not claim the attempt
    /// (its manager or the database did not answer for its whole claim window): nothing ran there. Its kwargs name the
    /// claim id it tried (<see cref="ClaimIdKwarg"/>), so the engine can tell whether another claimant holds the attempt.
    /// </summary>
    public const string NotClaimed = "OperationNotClaimed";

    public const string ClaimIdKwarg = "claim_id";

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
