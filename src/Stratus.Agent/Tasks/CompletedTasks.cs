using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tasks;

/// <summary>
/// Replies of recently finished tasks, bounded (oldest forgotten first), so a redelivered task gets the same reply
/// instead of running its script a second time.
/// </summary>
internal sealed class CompletedTasks(IOptions<AgentOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskResponse> _replies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool TryGet(string taskId, out TaskResponse response)
    {
        lock (_gate)
        {
            return _replies.TryGetValue(taskId, out response!);
        }
    }

    public void Add(string taskId, TaskResponse response)
    {
        lock (_gate)
        {
            if (!_replies.TryAdd(taskId, response))
            {
                return;
            }

            _order.Enqueue(taskId);
            while (_order.Count > Math.Max(1, options.Value.CompletedTaskMemory))
            {
                _replies.Remove(_order.Dequeue());
            }
        }
    }
}
