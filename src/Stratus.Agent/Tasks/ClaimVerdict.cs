namespace Stratus.Agent.Tasks;

/// <summary>The answer to a claim: run the attempt, drop it (another agent holds it), or reply a failure without running.</summary>
internal sealed record ClaimVerdict(bool Run, string? FailureKind = null, string? FailureMessage = null, string? UnclaimedBy = null)
{
    public static readonly ClaimVerdict Granted = new(true);

    public static readonly ClaimVerdict Refused = new(false);

    public static ClaimVerdict Failed(string kind, string message) => new(false, kind, message);

    /// <summary>No answer to the claim from <paramref name="claimId"/>: a recoverable failure that says nothing ran here.</summary>
    public static ClaimVerdict NotClaimed(string claimId, string message) => new(false, Contracts.Tasks.TaskError.Recoverable, message, claimId);
}
