using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tasks;

/// <summary>
/// Every attempt this agent has taken up, keyed by operation id and attempt: in flight (being claimed or running) or
/// finished with the reply it sent, success or failure. The manager grants the same claimant its attempt again until
/// the engine has stored that attempt's end, so without this memory two copies of one attempt reaching this agent one
/// after the other (a broker redelivery after a channel loss, a resumed engine's re-send) would both run. A failure is
/// remembered like a success because the engine never wants an attempt run again under the same number: a retry, and a
/// resumed execution's reset of a claimed operation, both move on to the next attempt. Finished attempts are bounded
/// by <see cref="AgentOptions.CompletedTaskMemory"/> (oldest forgotten first); attempts in flight are never forgotten
/// while they run (their number is bounded by the agent's parallelism), only when nothing ran (the claim was refused
/// or not answered) or the agent is stopping. A copy that arrives while its attempt is in flight waits for it
/// (<see cref="Begin"/> hands out the attempt's outcome): after a channel loss that copy is the only delivery the
/// broker still holds, so settling it before the run replied would lose the task should this agent die meanwhile.
/// </summary>
internal sealed class AttemptMemory(IOptions<AgentOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<TaskResponse?>> _inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskResponse> _replies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The key of one attempt of one operation (a retry re-sends the same task id with the next number).</summary>
    public static string Key(string taskId, int attempt) => $"{taskId}#{attempt}";

    /// <summary>
    /// Takes the attempt up when this agent has not seen it (<see cref="AttemptSight.New"/>, now in flight); otherwise
    /// says how it stands: finished, with the reply it got, or in flight, with <paramref name="outcome"/>, which ends
    /// with that reply once it finishes, or with null when nothing ran (a copy may then take it up itself).
    /// </summary>
    public AttemptSight Begin(string key, out TaskResponse? reply, out Task<TaskResponse?>? outcome)
    {
        lock (_gate)
        {
            outcome = null;
            if (_replies.TryGetValue(key, out reply))
            {
                return AttemptSight.Finished;
            }

            if (_inFlight.TryGetValue(key, out var running))
            {
                outcome = running.Task;
                return AttemptSight.InFlight;
            }

            _inFlight[key] = new TaskCompletionSource<TaskResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
            return AttemptSight.New;
        }
    }

    /// <summary>The attempt ran here and ended with <paramref name="reply"/>: later copies get it again.</summary>
    public void Finish(string key, TaskResponse reply)
    {
        lock (_gate)
        {
            if (_inFlight.Remove(key, out var running))
            {
                running.TrySetResult(reply);
            }

            if (!_replies.TryAdd(key, reply))
            {
                return;
            }

            _order.Enqueue(key);
            while (_order.Count > Math.Max(1, options.Value.CompletedTaskMemory))
            {
                _replies.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>Nothing ran here (the claim went elsewhere or got no answer): a later copy may claim it again.</summary>
    public void Forget(string key)
    {
        lock (_gate)
        {
            if (_inFlight.Remove(key, out var running))
            {
                running.TrySetResult(null);
            }
        }
    }
}
