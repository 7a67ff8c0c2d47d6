namespace Stratus.EndToEnd.Tests;

/// <summary>The RabbitMQ-backed manager, started once for its tests.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqManager>
{
    public const string Name = "rabbitmq manager";
}
