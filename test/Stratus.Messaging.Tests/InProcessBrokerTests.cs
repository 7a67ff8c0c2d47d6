using Stratus.Messaging.InProcess;

namespace Stratus.Messaging.Tests;

public sealed class InProcessBrokerTests : BrokerConformanceTests
{
    protected override Task<IMessageBroker> CreateBrokerAsync() => Task.FromResult<IMessageBroker>(new InProcessBroker());
}
