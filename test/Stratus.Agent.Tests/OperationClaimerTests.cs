using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>
/// A claim that gets no answer for the whole claim window (its manager or the database away, e.g. a copy of an attempt
/// redelivered during a long outage) ends as a recoverable failure that says it was not claimed and by whom, so the
/// engine can leave an attempt another agent holds alone instead of retrying it beside that agent.
/// </summary>
public sealed class OperationClaimerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimWithoutAnswerForTheWholeWindow_IsNotClaimed_NamingItsClaimId_AndNothingWasGranted()
    {
        var time = new WatchedTime();
        var api = new FakeManagerApi();
        for (var i = 0; i < 200; i++)
        {
            api.ClaimFailures.Enqueue(new ManagerApiException(HttpStatusCode.ServiceUnavailable, null, "database unavailable (simulated)"));
        }

        var claimer = new OperationClaimer(
            Options.Create(new AgentOptions { Name = QueueNames.Management, ManagerName = "m-b" }), time, NullLogger<OperationClaimer>.Instance);

        var claim = claimer.ClaimAsync(api, "op1", 0, Cancel);
        await time.DriveAsync(claim, "claims retried through a database outage");
        var verdict = await claim;

        Assert.False(verdict.Run);
        Assert.Equal((TaskError.Recoverable, $"{QueueNames.Management}@m-b"), (verdict.FailureKind, verdict.UnclaimedBy));
        Assert.Contains("Could not claim operation op1", verdict.FailureMessage, StringComparison.Ordinal);
        Assert.Empty(api.ClaimRequests);
    }
}
