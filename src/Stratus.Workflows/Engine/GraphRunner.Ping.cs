using System.Globalization;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Cloudify pings an agent before sending it an operation and fails the operation as recoverable when the agent does
/// not answer. Here the ping runs beside the loop: the operation waits (stored as <c>sending</c>, counted in flight)
/// until the ping's outcome comes back through the reply channel, then it is sent, or failed with "Timed out waiting
/// for agent" and retried within its max_retries like any recoverable failure.
/// </summary>
internal sealed partial class GraphRunner
{
    private readonly Dictionary<string, List<PendingSend>> _awaitingPing = new(StringComparer.Ordinal);

    private sealed record PendingSend(GraphTask Task, int Attempt, string Queue, OutgoingMessage Message);

    private void AwaitPing(AgentPinger pinger, string agent, PendingSend pending)
    {
        if (!_awaitingPing.TryGetValue(agent, out var waiting))
        {
            waiting = [];
            _awaitingPing[agent] = waiting;
            _ = ReportPingAsync(pinger, agent);
        }

        waiting.Add(pending);
    }

    private async Task ReportPingAsync(AgentPinger pinger, string agent)
    {
        string? failure;
        try
        {
            failure = await pinger.PingAsync(agent);
        }
#pragma warning disable CA1031 // Whatever stopped the ping (a disposed broker) is the ping's failure; the loop decides.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e.Message;
        }

        // A finished run no longer reads the channel: nothing waits for this outcome.
        _replies.Writer.TryWrite(new Reply("", 0, new TaskResponse { Ok = failure is null }) { PingedAgent = agent, PingFailure = failure });
    }

    private async Task HandlePingAsync(Reply reply, CancellationToken cancellationToken)
    {
        var agent = reply.PingedAgent!;
        if (!_awaitingPing.Remove(agent, out var waiting))
        {
            return;
        }

        foreach (var pending in waiting)
        {
            // Settled meanwhile (its agent was found silent, the execution was cancelled): nothing to send.
            if (!_inFlight.Contains(pending.Task.Id) || pending.Task.CurrentRetries != pending.Attempt)
            {
                continue;
            }

            if (reply.PingFailure is null)
            {
                await SendAsync(pending.Task, pending.Queue, pending.Message, cancellationToken);
                continue;
            }

            var timeout = _run.Pinger?.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) ?? "?";
            var response = new TaskResponse
            {
                Ok = false,
                Error = new TaskError
                {
                    ExceptionType = TaskError.Recoverable,
                    Message = $"Timed out waiting for agent {agent} (ping: {reply.PingFailure}; timeout {timeout} s)",
                    KnownExceptionType = TaskError.Recoverable,
                    KnownExceptionTypeArgs = [null],
                    KnownExceptionTypeKwargs = [],
                },
            };
            await HandleReplyAsync(new Reply(pending.Task.Id, pending.Attempt, response), cancellationToken);
        }
    }
}
