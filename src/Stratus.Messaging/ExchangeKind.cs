namespace Stratus.Messaging;

/// <summary>How an exchange routes a message to the queues bound to it (AMQP 0-9-1's kinds).</summary>
public enum ExchangeKind
{
    /// <summary>To the queues whose binding key equals the routing key.</summary>
    Direct,

    /// <summary>To every bound queue; the routing key is ignored.</summary>
    Fanout,

    /// <summary>
    /// To the queues whose binding pattern matches the dot-separated routing key: <c>*</c> stands for one word,
    /// <c>#</c> for zero or more (so <c>events.#</c> matches <c>events</c> and <c>events.hooks</c>).
    /// </summary>
    Topic,
}
