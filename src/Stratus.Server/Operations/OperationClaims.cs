using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Operations;

/// <summary>
/// <c>PATCH /operations/{id}</c> with <c>state: started</c> and <c>retry_number</c>: the agent about to run that attempt
/// claims it by compare-and-set, and only the winner runs it. A duplicate delivery of the same attempt (a broker
/// redelivery, a message re-published after a lost confirm) is refused with <c>conflict_error</c>; a later attempt
/// (a retry) is claimable; so is an attempt claimed by a manager's own agent once that manager is gone and the
/// execution's run has released the claim (never judged here: see <see cref="ClaimHolderCheck"/>). An attempt that
/// finished (the engine stored its end, or moved on to a later attempt) is refused too, whoever claims it: its message
/// came back because the agent that ran it died before acking.
/// </summary>
internal static class OperationClaims
{
    public const string AttemptField = "retry_number";
    public const string ClaimIdField = "claim_id";

    private const int MaxNameLength = 500;

    public static bool IsClaim(JsonObject body) => body.ContainsKey(AttemptField);

    public static async Task ClaimAsync(
        string id, Caller caller, JsonObject body, IStratusStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var state = Wire.GetString(body, "state");
        if (state != "started")
        {
            throw StratusException.BadParameters($"A claim of operation `{id}` must set state `started`, got `{state}`");
        }

        var attempt = body[AttemptField] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int n) && n >= 0
            ? n
            : throw StratusException.BadParameters($"{AttemptField} of a claim of operation `{id}` must be a non-negative integer");
        var claimId = Name(body, ClaimIdField, id) ?? throw StratusException.BadParameters($"{ClaimIdField} is required to claim operation `{id}`");
        var now = time.GetUtcNow();
        var result = await store.ClaimOperationAsync(
            new OperationClaim
            {
                TenantName = caller.Tenant,
                OperationId = id,
                ExecutionId = caller.ExecutionId,
                Attempt = attempt,
                ClaimId = claimId,
                AgentName = Name(body, "agent_name", id),
                ManagerName = Name(body, "manager_name", id),
                ClaimedAt = now,
            },
            cancellationToken);
        switch (result.Outcome)
        {
            case OperationClaimOutcome.NotFound:
                throw ResourceIds.NotFound("Operation", id);
            case OperationClaimOutcome.Refused when result.State == OperationStates.Succeeded:
                throw StratusException.Conflict($"Operation `{id}` already succeeded; attempt {attempt} is not run");
            case OperationClaimOutcome.Refused when result.AttemptFinished(attempt):
                throw StratusException.Conflict(
                    $"Operation `{id}` attempt {attempt} has already finished (the operation is at attempt {result.Attempt}, state {result.State}); it is not run again");
            case OperationClaimOutcome.Refused:
                throw StratusException.Conflict(
                    $"Operation `{id}` attempt {attempt} is already claimed (claimed attempt {result.ClaimedAttempt}, agent {result.AgentName ?? "unknown"}, state {result.State})");
        }
    }

    private static string? Name(JsonObject body, string field, string id)
    {
        var text = Wire.GetString(body, field);
        if (text is not null && (text.Length is 0 or > MaxNameLength || text.Any(char.IsControl)))
        {
            throw StratusException.BadParameters($"{field} of a claim of operation `{id}` must be 1 to {MaxNameLength} printable characters");
        }

        return text;
    }
}
