namespace Stratus.Messaging.RabbitMq;

/// <summary>RabbitMQ answered a publish with a nack: it did not take responsibility for the message.</summary>
public sealed class MessageNotConfirmedException : Exception
{
    public MessageNotConfirmedException()
    {
    }

    public MessageNotConfirmedException(string message)
        : base(message)
    {
    }

    public MessageNotConfirmedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
