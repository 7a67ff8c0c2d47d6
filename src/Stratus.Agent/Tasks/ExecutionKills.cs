namespace Stratus.Agent.Tasks;

/// <summary>
/// Kill-cancel on the agent side: the running operations of each execution can be cancelled together (the script runner
/// then kills the process tree), and a bounded memory of killed executions drops their operations still queued.
/// </summary>
internal sealed class ExecutionKills
{
    private const int Remembered = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, HashSet<CancellationTokenSource>> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CancellationTokenSource> _byTask = new(StringComparer.Ordinal);
    private readonly HashSet<string> _killed = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool IsKilled(string executionId)
    {
        lock (_gate)
        {
            return _killed.Contains(executionId);
        }
    }

    /// <summary>A token for one operation of <paramref name="executionId"/>, cancelled by <see cref="Kill"/> or by <paramref name="stopping"/>.</summary>
    public KillRegistration Register(string executionId, CancellationToken stopping, string? taskId = null)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        bool killed;
        lock (_gate)
        {
            if (taskId is not null)
            {
                _byTask[taskId] = source;
            }

            if (!_running.TryGetValue(executionId, out var sources))
            {
                _running[executionId] = sources = [];
            }

            sources.Add(source);
            killed = _killed.Contains(executionId);
        }

        if (killed)
        {
            source.Cancel();
        }

        return new KillRegistration(() => Unregister(executionId, source, taskId), source.Token);
    }

    /// <summary>Cancels one running task of the execution (a cancelled workflow script); its other operations go on.</summary>
    public void KillTask(string taskId)
    {
        lock (_gate)
        {
            if (_byTask.TryGetValue(taskId, out var source))
            {
                source.Cancel();
            }
        }
    }

    /// <summary>Cancels the execution's running operations and remembers it, so its queued ones are dropped.</summary>
    public void Kill(string executionId)
    {
        List<CancellationTokenSource> running;
        lock (_gate)
        {
            if (_killed.Add(executionId))
            {
                _order.Enqueue(executionId);
                while (_order.Count > Remembered)
                {
                    _killed.Remove(_order.Dequeue());
                }
            }

            // Cancelled under the lock: an operation that ends meanwhile cannot dispose its source in between.
            running = _running.TryGetValue(executionId, out var sources) ? [.. sources] : [];
            foreach (var source in running)
            {
                source.Cancel();
            }
        }
    }

    private void Unregister(string executionId, CancellationTokenSource source, string? taskId)
    {
        lock (_gate)
        {
            if (taskId is not null && _byTask.TryGetValue(taskId, out var registered) && registered == source)
            {
                _byTask.Remove(taskId);
            }

            if (_running.TryGetValue(executionId, out var sources) && sources.Remove(source) && sources.Count == 0)
            {
                _running.Remove(executionId);
            }

            source.Dispose();
        }
    }
}
