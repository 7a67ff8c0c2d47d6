using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Tasks;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent;

/// <summary>Consumes the agent's operation queue while the host runs.</summary>
internal sealed partial class AgentService(
    IMessageBroker broker,
    TaskProcessor processor,
    IOptions<AgentOptions> options,
    ILogger<AgentService> logger) : IHostedService, IAsyncDisposable
{
    private IAsyncDisposable? _consumer;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var queue = QueueNames.Operations(options.Value.Name);
        Directory.CreateDirectory(options.Value.WorkDirectory);
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
        _consumer = await broker.ConsumeAsync(queue, processor.HandleAsync, options.Value.Parallelism, cancellationToken);
        LogStarted(logger, options.Value.Name, queue, options.Value.Parallelism);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Operations still running are cancelled; their messages stay unacked and are redelivered (at-least-once).
        if (Interlocked.Exchange(ref _consumer, null) is { } consumer)
        {
            await consumer.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _consumer, null)?.DisposeAsync() ?? ValueTask.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} consuming {Queue} with {Parallelism} operations at a time")]
    private static partial void LogStarted(ILogger logger, string agentName, string queue, int parallelism);
}
