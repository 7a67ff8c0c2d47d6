using System.Globalization;
using Stratus.Contracts.Tasks;
using Stratus.Workflows.Graph;

namespace Stratus.Workflows.Engine;

/// <summary>
/// Host agents that stop heartbeating while they hold operations. Cloudify pings an agent before sending and fails
/// the operation with a RecoverableError when it does not answer; here the agent's stored heartbeat is watched
/// instead, and each operation it holds fails the same way: retried (re-sent to its queue, counting against
/// max_retries) or failed for good, as any recoverable failure.
/// </summary>
internal sealed partial class GraphRunner
{
    private readonly Dictionary<string, string> _agentOf = new(StringComparer.Ordinal);
    private DateTimeOffset _nextAgentCheck;

    private void TrackAgent(GraphTask task, string target)
    {
        if (target == QueueNames.Management)
        {
            _agentOf.Remove(task.Id);
        }
        else
        {
            _agentOf[task.Id] = target;
        }
    }

    private async Task CheckAgentsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_agentOf.Count == 0 || now < _nextAgentCheck)
        {
            return;
        }

        _nextAgentCheck = now + _options.AgentCheckInterval;
        foreach (var held in _agentOf.Where(kv => _inFlight.Contains(kv.Key)).GroupBy(kv => kv.Value, StringComparer.Ordinal).ToList())
        {
            var agent = await _store.GetAgentAsync(_identity.TenantName, held.Key, cancellationToken);
            if (agent?.LastHeartbeat is not { } last || now - last <= _options.AgentHeartbeatTimeout)
            {
                continue;
            }

            var message = $"Timed out waiting for agent {held.Key}: no heartbeat since {last.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} "
                + $"(timeout {_options.AgentHeartbeatTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)";
            foreach (var (taskId, _) in held)
            {
                Log.AgentSilent(_logger, held.Key, taskId);
                var response = new TaskResponse
                {
                    Ok = false,
                    Error = new TaskError
                    {
                        ExceptionType = TaskError.Recoverable,
                        Message = message,
                        KnownExceptionType = TaskError.Recoverable,
                        KnownExceptionTypeArgs = [null],
                        KnownExceptionTypeKwargs = [],
                    },
                };
                // Handled like a reply from the agent; the agent's own late reply for this attempt is then ignored.
                _replies.Writer.TryWrite(new Reply(taskId, _tasks[taskId].CurrentRetries, response));
            }
        }
    }
}
