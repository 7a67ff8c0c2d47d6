namespace Stratus.Messaging.InProcess;

/// <summary>
/// One queue: ready messages in order, the consumers attached to it, and what each consumer holds unacked.
/// Every state change happens under one lock per queue; deliveries leave the lock through each consumer's channel.
/// An expired message is dropped (dead-lettered) when it reaches the head of the queue, as RabbitMQ does; a temporary
/// queue removes itself when its last consumer goes.
/// </summary>
internal sealed class InMemoryQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<InMemoryEnvelope> _ready = new();
    private readonly List<InMemoryConsumer> _consumers = [];
    private readonly InMemoryQueue? _deadLetter;
    private readonly TimeProvider _time;
    private readonly Action<InMemoryQueue>? _onAbandoned;
    private int _cursor;
    private bool _deleted;

    /// <param name="onAbandoned">For a temporary queue: called (outside the lock) once its last consumer detached.</param>
    public InMemoryQueue(string name, QueueOptions options, InMemoryQueue? deadLetter, TimeProvider time, Action<InMemoryQueue>? onAbandoned = null)
    {
        Name = name;
        Options = options;
        _deadLetter = deadLetter;
        _time = time;
        _onAbandoned = onAbandoned;
    }

    public string Name { get; }

    public QueueOptions Options { get; }

    public int ReadyCount
    {
        get
        {
            lock (_gate)
            {
                return _ready.Count;
            }
        }
    }

    public void Enqueue(InMemoryEnvelope envelope)
    {
        List<InMemoryEnvelope> deadLetters = [];
        lock (_gate)
        {
            if (_deleted)
            {
                return;
            }

            _ready.AddLast(envelope);
            Dispatch(deadLetters);
        }

        ForwardToDeadLetter(deadLetters);
    }

    public bool TryAttach(InMemoryConsumer consumer)
    {
        List<InMemoryEnvelope> deadLetters = [];
        lock (_gate)
        {
            if (_deleted)
            {
                return false;
            }

            _consumers.Add(consumer);
            Dispatch(deadLetters);
        }

        ForwardToDeadLetter(deadLetters);
        return true;
    }

    /// <summary>Stops routing new deliveries to <paramref name="consumer"/>; what it holds stays unacked.</summary>
    public void Detach(InMemoryConsumer consumer)
    {
        bool abandoned;
        lock (_gate)
        {
            abandoned = _consumers.Remove(consumer) && _consumers.Count == 0 && _onAbandoned is not null && !_deleted;
        }

        if (abandoned)
        {
            _onAbandoned!(this);
        }
    }

    /// <summary>Returns everything <paramref name="consumer"/> still holds to the queue as redeliveries.</summary>
    public void ReturnUnacked(InMemoryConsumer consumer)
    {
        List<InMemoryEnvelope> deadLetters = [];
        lock (_gate)
        {
            var held = consumer.Unacked.OrderByDescending(d => d.Envelope.Sequence).ToList();
            consumer.Unacked.Clear();
            foreach (var delivery in held)
            {
                // checkpoint: the consumer never acked these; at-least-once means they go back to the head of the queue.
                Requeue(delivery.Envelope, deadLetters);
            }

            Dispatch(deadLetters);
        }

        ForwardToDeadLetter(deadLetters);
    }

    public void Settle(InMemoryDelivery delivery, bool requeue, bool deadLetter)
    {
        List<InMemoryEnvelope> deadLetters = [];
        lock (_gate)
        {
            if (!delivery.Consumer.Unacked.Remove(delivery))
            {
                return;
            }

            if (requeue)
            {
                Requeue(delivery.Envelope, deadLetters);
            }
            else if (deadLetter)
            {
                deadLetters.Add(delivery.Envelope);
            }

            Dispatch(deadLetters);
        }

        ForwardToDeadLetter(deadLetters);
    }

    /// <summary>Marks the queue deleted and hands back its consumers so the broker can stop them.</summary>
    public IReadOnlyList<InMemoryConsumer> Delete()
    {
        lock (_gate)
        {
            _deleted = true;
            _ready.Clear();
            var consumers = _consumers.ToList();
            _consumers.Clear();
            return consumers;
        }
    }

    private void Requeue(InMemoryEnvelope envelope, List<InMemoryEnvelope> deadLetters)
    {
        if (_deleted)
        {
            return;
        }

        if (envelope.DeliveryCount >= Options.MaxDeliveries)
        {
            deadLetters.Add(envelope);
            return;
        }

        _ready.AddFirst(envelope with { DeliveryCount = envelope.DeliveryCount + 1 });
    }

    private void ForwardToDeadLetter(List<InMemoryEnvelope> envelopes)
    {
        if (_deadLetter is null)
        {
            return;
        }

        foreach (var envelope in envelopes)
        {
            _deadLetter.Enqueue(envelope with { DeliveryCount = 1, ExpiresAt = null, Exchange = "", RoutingKey = _deadLetter.Name });
        }
    }

    private void Dispatch(List<InMemoryEnvelope> deadLetters)
    {
        while (_ready.First is { } next && TryPickConsumer(out var consumer))
        {
            if (next.Value.ExpiresAt is { } expiresAt && expiresAt <= _time.GetUtcNow())
            {
                _ready.RemoveFirst();
                deadLetters.Add(next.Value);
                continue;
            }

            _ready.RemoveFirst();
            var delivery = InMemoryDelivery.Create(this, consumer, next.Value);
            consumer.Unacked.Add(delivery);
            consumer.Post(delivery);
        }
    }

    private bool TryPickConsumer(out InMemoryConsumer consumer)
    {
        for (var i = 0; i < _consumers.Count; i++)
        {
            var index = (_cursor + i) % _consumers.Count;
            var candidate = _consumers[index];
            if (candidate.Unacked.Count < candidate.Prefetch)
            {
                _cursor = (index + 1) % _consumers.Count;
                consumer = candidate;
                return true;
            }
        }

        consumer = null!;
        return false;
    }
}
