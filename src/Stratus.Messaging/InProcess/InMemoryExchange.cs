namespace Stratus.Messaging.InProcess;

/// <summary>An exchange of the in-process broker: its kind and its bindings (queue, key), under one lock.</summary>
internal sealed class InMemoryExchange(string name, ExchangeKind kind)
{
    private readonly Lock _gate = new();
    private readonly HashSet<(string Queue, string Key)> _bindings = [];

    public string Name => name;

    public ExchangeKind Kind => kind;

    public void Bind(string queue, string bindingKey)
    {
        lock (_gate)
        {
            _bindings.Add((queue, kind == ExchangeKind.Fanout ? "" : bindingKey));
        }
    }

    public void Unbind(string queue)
    {
        lock (_gate)
        {
            _bindings.RemoveWhere(b => b.Queue == queue);
        }
    }

    /// <summary>The queues a message with <paramref name="routingKey"/> goes to, each once, in name order.</summary>
    public IReadOnlyList<string> Route(string routingKey)
    {
        lock (_gate)
        {
            return
            [
                .. _bindings
                    .Where(b => kind switch
                    {
                        ExchangeKind.Fanout => true,
                        ExchangeKind.Topic => TopicPattern.Matches(b.Key, routingKey),
                        _ => b.Key == routingKey,
                    })
                    .Select(b => b.Queue)
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal),
            ];
        }
    }
}
