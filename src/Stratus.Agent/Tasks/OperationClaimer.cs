using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tasks;

/// <summary>
/// Claims an operation attempt in the manager's database before it runs (Cloudify's agent reports <c>started</c> on
/// the operation; here that report is a compare-and-set keyed by the attempt and the claimant), so a second delivery of
/// the same attempt to another agent is refused and never runs. A manager that cannot be
/// reached is tried again for <see cref="RetryFor"/>, so a database or manager restart does not cost a retry.
/// </summary>
internal sealed partial class OperationClaimer(IOptions<AgentOptions> options, TimeProvider time, ILogger<OperationClaimer> logger)
{
    public static readonly TimeSpan RetryFor = RetryWithBackoff.GiveUpAfter;

    /// <summary>
    /// Who claims: the agent's name, and for a manager's own agent (all named <c>cloudify.management</c>, one queue
    /// for every manager) that manager's id. The same claimant claiming again is granted: an answer lost on the way,
    /// or the same agent started again after it died mid-operation (its broker redelivers what it had not acked, and
    /// that operation was cut off). Duplicates inside one process never get here (the processor shares one run).
    /// </summary>
    private string ClaimId => options.Value.ManagerName is { } manager ? $"{options.Value.Name}@{manager}" : options.Value.Name;

    public async Task<ClaimVerdict> ClaimAsync(IManagerApi api, string operationId, int attempt, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["state"] = "started",
            ["retry_number"] = attempt,
            ["claim_id"] = ClaimId,
            ["agent_name"] = options.Value.Name,
            ["manager_name"] = options.Value.ManagerName,
        };
        try
        {
            await RetryWithBackoff.RunAsync(
                time,
                ct => api.ClaimOperationAsync(operationId, body, ct),
                IsTransient,
                (ex, _) => LogRetrying(logger, operationId, ex.Message),
                cancellationToken);
            return ClaimVerdict.Granted;
        }
        catch (ManagerApiException ex) when (ex.IsConflict)
        {
            LogRefused(logger, operationId, attempt, ex.Message);
            return ClaimVerdict.Refused;
        }
        catch (ManagerApiException ex) when (IsRefusal(ex))
        {
            // Unknown operation, a token that is no longer valid: asking again will not change the answer.
            return ClaimVerdict.Failed(TaskError.NonRecoverable, $"Could not claim operation {operationId} before running it: {ex.Message}");
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            // Retried for RetryFor without an answer. Nothing ran: the engine may retry the operation as a new attempt,
            // unless another agent holds this attempt (a redelivered copy during an outage), which it learns from the claim id.
            return ClaimVerdict.NotClaimed(ClaimId, $"Could not claim operation {operationId} before running it: {ex.Message}");
        }
    }

    private static bool IsRefusal(ManagerApiException ex) => ex.Status is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError;

    /// <summary>The manager, its database or the network, not the claim: the same claim may be granted later.</summary>
    private static bool IsTransient(Exception ex) => ex is HttpRequestException || (ex is ManagerApiException api && !IsRefusal(api));

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} attempt {Attempt} not run: {Reason}")]
    private static partial void LogRefused(ILogger logger, string operationId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Claiming operation {OperationId} again: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string operationId, string reason);
}
