using Stratus.Messaging.RabbitMq;

namespace Stratus.Messaging.Tests;

/// <summary>
/// The conformance suite on RabbitMQ, on the private node named by <c>STRATUS_TEST_RABBITMQ</c> (see
/// scripts/test-services.sh). Each test's queues (and their dead-letter queues) are deleted afterwards.
/// </summary>
public sealed class RabbitMqBrokerTests : BrokerConformanceTests
{
    protected override string? UnavailableReason => Services.RabbitMqUnavailableReason;

    protected override Task<IMessageBroker> CreateBrokerAsync() =>
        Task.FromResult<IMessageBroker>(new RabbitMqBroker(Options(Services.RabbitMqUrl!)));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (DeclaredQueues.Count == 0 || UnavailableReason is not null)
        {
            return;
        }

        await using var cleaner = new RabbitMqBroker(Options(Services.RabbitMqUrl!));
        foreach (var queue in DeclaredQueues)
        {
            await cleaner.DeleteQueueAsync(queue);
            await cleaner.DeleteQueueAsync(DeadLetter.QueueFor(queue));
        }
    }

    internal static RabbitMqOptions Options(string url) => new()
    {
        Url = url,
        ConnectionName = "stratus-tests",
        OperationTimeout = TimeSpan.FromSeconds(10),
        RecoveryInterval = TimeSpan.FromMilliseconds(200),
    };
}
