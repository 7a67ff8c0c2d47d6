namespace Stratus.Core.Model;

/// <summary>What a claim met: won, refused (with what holds the operation), or no such operation for the caller.</summary>
public sealed record OperationClaimResult(OperationClaimOutcome Outcome, string? State = null, int? ClaimedAttempt = null, string? AgentName = null)
{
    public static readonly OperationClaimResult Claimed = new(OperationClaimOutcome.Claimed);

    public static readonly OperationClaimResult NotFound = new(OperationClaimOutcome.NotFound);
}
