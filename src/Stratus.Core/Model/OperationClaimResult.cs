namespace Stratus.Core.Model;

/// <summary>
/// What a claim met: won, refused (with what holds the operation: its state, the attempt that state belongs to, the
/// claimed attempt and its agent), or no such operation for the caller.
/// </summary>
public sealed record OperationClaimResult(
    OperationClaimOutcome Outcome, string? State = null, int? ClaimedAttempt = null, string? AgentName = null, int? Attempt = null)
{
    public static readonly OperationClaimResult Claimed = new(OperationClaimOutcome.Claimed);

    public static readonly OperationClaimResult NotFound = new(OperationClaimOutcome.NotFound);

    /// <summary>Refused because the claimed attempt already ended (see <see cref="OperationStates.HasFinished"/>).</summary>
    public bool AttemptFinished(int attempt) =>
        Outcome == OperationClaimOutcome.Refused && State is { } state && Attempt is { } current && OperationStates.HasFinished(state, current, attempt);
}
