using System.Text.Json;
using System.Threading.Channels;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;

namespace Stratus.Agent.Tests;

/// <summary>Consumes a reply queue so a test can await each reply with a timeout.</summary>
internal sealed class ReplyInbox
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Channel<IncomingMessage> _received = Channel.CreateUnbounded<IncomingMessage>();

    public async Task<IAsyncDisposable> ListenAsync(IMessageBroker broker, string queue, CancellationToken cancellationToken)
    {
        await broker.DeclareQueueAsync(queue, QueueOptions.Default, cancellationToken);
        return await broker.ConsumeAsync(
            queue,
            async (message, ct) =>
            {
                await message.AckAsync(ct);
                _received.Writer.TryWrite(message);
            },
            prefetch: 10,
            cancellationToken);
    }

    public async Task<(IncomingMessage Message, TaskResponse Response)> NextAsync(string expected)
    {
        var message = await NextRawAsync(expected);
        return (message, JsonSerializer.Deserialize<TaskResponse>(message.Body.Span)!);
    }

    public async Task<IncomingMessage> NextRawAsync(string expected)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Expected {expected} within {Timeout.TotalSeconds}s, but no reply arrived.");
        }
    }
}
