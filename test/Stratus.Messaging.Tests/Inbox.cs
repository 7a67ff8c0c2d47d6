using System.Threading.Channels;
using Stratus.Messaging;

namespace Stratus.Messaging.Tests;

/// <summary>Collects what a consumer receives so a test can await each delivery with a timeout.</summary>
internal sealed class Inbox
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<IncomingMessage> _received = Channel.CreateUnbounded<IncomingMessage>();

    private int _count;

    public int Count => Volatile.Read(ref _count);

    public Task Add(IncomingMessage message)
    {
        Interlocked.Increment(ref _count);
        _received.Writer.TryWrite(message);
        return Task.CompletedTask;
    }

    public async Task<IncomingMessage> NextAsync(string expected)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"Expected {expected} within {Timeout.TotalSeconds}s, but nothing was delivered.");
        }
    }
}
