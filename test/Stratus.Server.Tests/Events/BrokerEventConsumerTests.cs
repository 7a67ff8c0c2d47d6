using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;
using Stratus.Server.Events;

namespace Stratus.Server.Tests.Events;

/// <summary>The consumer of <c>cloudify-logs-events</c> over the in-process broker, with a fake store and fake time.</summary>
public sealed class BrokerEventConsumerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BatcherThatStops_IsReplaced_AndItsDeliveriesAreStoredAfterRedelivery()
    {
        var store = FakeEventStore.Create();
        store.AddExecution("ex-1");
        store.Down = true;
        var broker = new InProcessBroker(_time);
        // A batcher stops only on a defect; here its first log call throws, which nothing in the batcher catches.
        var loggers = new Loggers();
        var consumer = new BrokerEventConsumer(broker, store.Store, _time, loggers, loggers.Consumer);
        await LogsEventsTopology.DeclareAsync(broker, Token);
        await consumer.StartAsync(Token);
        try
        {
            foreach (var (text, key) in new[] { ("a", "ka"), ("b", "kb"), ("c", "kc") })
            {
                await broker.PublishToExchangeAsync(
                    LogsEventsTopology.LogsExchange, "", new OutgoingMessage { Body = TestDelivery.Log("ex-1", text, key).Body }, Token);
            }

            await AdvanceUntilAsync(() => loggers.Thrown, "a batcher's log call to throw");
            store.Down = false;
            await AdvanceUntilAsync(() => store.Rows.Count == 3, "every line to be stored");

            Assert.Equal(["a", "b", "c"], store.Rows.Values.Select(r => r.Message).Order(StringComparer.Ordinal));
            Assert.Contains(loggers.Lines, l => l.Contains("batcher stopped", StringComparison.Ordinal));
        }
        finally
        {
            await consumer.StopAsync(CancellationToken.None);
            consumer.Dispose();
        }
    }

    /// <summary>Moves fake time in steps of the longest back-off until <paramref name="done"/> holds (bounded in real time).</summary>
    private async Task AdvanceUntilAsync(Func<bool> done, string expectation)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!done())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s (real) for {expectation}; it did not happen.");
            }

            _time.Advance(BrokerEventBatcher.FirstRetryDelay);
            // The consumer runs on the thread pool: give it a moment of real time to react to the advanced clock.
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, Token);
        }
    }

    /// <summary>Captures every line; the first batcher log call throws.</summary>
    private sealed class Loggers : ILoggerFactory
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private int _thrown;

        public ILogger<BrokerEventConsumer> Consumer => new Capturing<BrokerEventConsumer>(this, throws: false);

        public IReadOnlyList<string> Lines => [.. _lines];

        public bool Thrown => Volatile.Read(ref _thrown) == 1;

        public ILogger CreateLogger(string categoryName) =>
            new Capturing<BrokerEventBatcher>(this, throws: categoryName.EndsWith(nameof(BrokerEventBatcher), StringComparison.Ordinal));

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Capturing<T>(Loggers owner, bool throws) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner._lines.Enqueue(formatter(state, exception));
                if (throws && Interlocked.CompareExchange(ref owner._thrown, 1, 0) == 0)
                {
                    throw new InvalidOperationException("the log sink failed (simulated)");
                }
            }
        }
    }
}
