using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Stratus.Messaging;
using Stratus.Server.Events;

namespace Stratus.Server.Tests.Events;

/// <summary>Cloudify's amqp-postgres batching rule on the broker path, driven by fake time and a fake store.</summary>
public sealed class BrokerEventBatcherTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
    private readonly FakeEventStore _store = FakeEventStore.Create();
    private readonly CapturingLogger _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly BrokerEventBatcher _batcher;
    private readonly Task _run;

    public BrokerEventBatcherTests()
    {
        _store.AddExecution("ex-1");
        _batcher = new BrokerEventBatcher(_store.Store, _time, _log);
        _run = _batcher.RunAsync(_stop.Token);
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HundredItems_AreStoredInOneBatchAtOnce_AndAckedOnlyAfterTheCommit()
    {
        var deliveries = Enumerable.Range(0, BrokerEventBatcher.FlushItems).Select(i => TestDelivery.Log("ex-1", $"line {i}", key: $"k{i}")).ToList();
        var ackedDuringInsert = -1;
        _store.DuringInsert = () => ackedDuringInsert = deliveries.Count(d => d.IsAcked);

        deliveries.ForEach(_batcher.Add);

        await Within(Task.WhenAll(deliveries.Select(d => d.Acked)), "100 deliveries to be acked without the clock moving");
        Assert.Equal([100], _store.InsertCalls);
        Assert.Equal(0, ackedDuringInsert);
        Assert.Equal(100, _store.Rows.Count);
    }

    [Fact]
    public async Task FewerItems_AreStoredOnceTheFlushDelayPassedSinceTheLastCommit()
    {
        var deliveries = Enumerable.Range(0, 3).Select(i => TestDelivery.Log("ex-1", $"line {i}", key: $"k{i}")).ToList();

        deliveries.ForEach(_batcher.Add);
        _time.Advance(BrokerEventBatcher.FlushDelay - TimeSpan.FromMilliseconds(1));
        var storedEarly = _store.InsertCalls.Count;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Within(Task.WhenAll(deliveries.Select(d => d.Acked)), "3 deliveries to be stored once the flush delay passed");
        Assert.Equal(0, storedEarly);
        Assert.Equal([3], _store.InsertCalls);
    }

    [Fact]
    public async Task RefusedBatch_IsStoredOneByOne_DroppingOnlyTheBadMessage()
    {
        _store.FailInsert = rows => rows.Any(r => r.Message == "bad") ? new InvalidOperationException("constraint violated") : null;
        var deliveries = new[] { TestDelivery.Log("ex-1", "a", "ka"), TestDelivery.Log("ex-1", "bad", "kb"), TestDelivery.Log("ex-1", "c", "kc") };

        foreach (var d in deliveries)
        {
            _batcher.Add(d);
        }

        _time.Advance(BrokerEventBatcher.FlushDelay);

        await Within(Task.WhenAll(deliveries.Select(d => d.Acked)), "every delivery to be settled after the one-by-one pass");
        Assert.Equal([3, 1, 1, 1], _store.InsertCalls);
        Assert.Equal(["a", "c"], _store.Rows.Values.Select(r => r.Message).Order(StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Equal(0, d.Nacks));
    }

    [Fact]
    public async Task DatabaseDown_KeepsMessagesUnacked_RetriesWithBackOff_AndStoresThemOnceItIsBack()
    {
        _store.Down = true;
        var deliveries = new[] { TestDelivery.Log("ex-1", "a", "ka"), TestDelivery.Event("ex-1", "task_started") };
        foreach (var d in deliveries)
        {
            _batcher.Add(d);
        }

        await AdvanceUntilAsync(() => _store.Calls >= 4, "four attempts against the unavailable database");
        var ackedWhileDown = deliveries.Count(d => d.IsAcked);
        _store.Down = false;
        await AdvanceUntilAsync(() => deliveries.All(d => d.IsAcked), "the deliveries to be stored once the database is back");

        Assert.Equal(0, ackedWhileDown);
        Assert.All(deliveries, d => Assert.Equal(0, d.Nacks));
        Assert.Equal(2, _store.Rows.Count);
        Assert.Contains(_log.Lines, l => l.Contains("database is unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupFailingOtherwise_KeepsMessagesUnacked_LogsAnError_AndStoresThemOnceItWorks()
    {
        // Not a failure the batcher knows as an outage: before, it escaped and stopped the batcher, its lines held unacked.
        var failing = 1;
        _store.FailLookup = _ => Volatile.Read(ref failing) == 1 ? new InvalidOperationException("connection state broken") : null;
        var deliveries = new[] { TestDelivery.Log("ex-1", "a", "ka"), TestDelivery.Log("ex-1", "b", "kb") };
        foreach (var d in deliveries)
        {
            _batcher.Add(d);
        }

        await AdvanceUntilAsync(() => _store.Calls >= 3, "three failed lookups");
        var ackedWhileFailing = deliveries.Count(d => d.IsAcked);
        Volatile.Write(ref failing, 0);
        await AdvanceUntilAsync(() => deliveries.All(d => d.IsAcked), "the deliveries to be stored once the lookup works");

        Assert.Equal(0, ackedWhileFailing);
        Assert.Equal(["a", "b"], _store.Rows.Values.Select(r => r.Message).Order(StringComparer.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("InvalidOperationException: connection state broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedUnknownAndHookMessages_AreAckedAndNotStored_AndTheirContentIsNotLogged()
    {
        var deliveries = new[]
        {
            TestDelivery.Raw(LogsEventsTopology.LogsExchange, "", "not json secret-text-1"),
            TestDelivery.Raw(LogsEventsTopology.LogsExchange, "", """{"message":{"text":"secret-text-2"},"context":{}}"""),
            TestDelivery.Log("no-such-execution", "secret-text-3"),
            TestDelivery.Event("ex-1", "workflow_started", LogsEventsTopology.HooksRoutingKey),
            TestDelivery.Log("ex-1", "kept", "k1"),
        };

        foreach (var d in deliveries)
        {
            _batcher.Add(d);
        }

        _time.Advance(BrokerEventBatcher.FlushDelay);

        await Within(Task.WhenAll(deliveries.Select(d => d.Acked)), "every delivery to be acked");
        Assert.Equal(["kept"], _store.Rows.Values.Select(r => r.Message));
        Assert.Equal(3, _log.Lines.Count(l => l.Contains("Dropped a message", StringComparison.Ordinal)));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("secret-text", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("no execution no-such-execution", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedeliveredMessageWithoutKey_IsStoredOnce_UnderAKeyDerivedFromTheDelivery()
    {
        var first = TestDelivery.Log("ex-1", "no key");
        var again = TestDelivery.Log("ex-1", "no key");
        var other = TestDelivery.Log("ex-1", "another line");
        var withId = TestDelivery.Log("ex-1", "with id", messageId: "m-7");

        _batcher.Add(first);
        _batcher.Add(other);
        _batcher.Add(withId);
        _time.Advance(BrokerEventBatcher.FlushDelay);
        await Within(Task.WhenAll(first.Acked, other.Acked, withId.Acked), "the first batch to be acked");
        _batcher.Add(again);
        // The batcher stamps its last commit just after acking: step the clock until the next batch is written.
        await AdvanceUntilAsync(() => again.IsAcked, "the redelivery to be acked");

        Assert.Equal(BrokerEventReader.DerivedKey(first), BrokerEventReader.DerivedKey(again));
        Assert.NotEqual(BrokerEventReader.DerivedKey(first), BrokerEventReader.DerivedKey(other));
        Assert.Equal("amqp-id:m-7", BrokerEventReader.DerivedKey(withId));
        Assert.Equal(3, _store.Rows.Count);
    }

    [Fact]
    public async Task BatchMessage_StoresEachItem_DroppingOnlyTheBadOnes_AndNotTheirContent()
    {
        var batch = TestDelivery.Batch(
            LogsEventsTopology.LogsExchange,
            TestDelivery.LogItem("ex-1", "one", "b1"),
            TestDelivery.LogItem("no-such-execution", "secret-text-1", "b2"),
            JsonValue.Create("secret-text-2"),
            TestDelivery.LogItem("ex-1", "two", "b3"));
        var empty = TestDelivery.Raw(LogsEventsTopology.LogsExchange, "", "[]");

        _batcher.Add(batch);
        _batcher.Add(empty);
        _time.Advance(BrokerEventBatcher.FlushDelay);

        await Within(Task.WhenAll(batch.Acked, empty.Acked), "both deliveries to be acked");
        Assert.Equal(["one", "two"], _store.Rows.Values.Select(r => r.Message).Order(StringComparer.Ordinal));
        Assert.Equal(["b1", "b3"], _store.Rows.Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("2 of 4 items dropped", StringComparison.Ordinal) && l.Contains("no execution no-such-execution", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, l => l.Contains("neither a JSON object nor a non-empty array", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("secret-text", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedeliveredBatchWithoutKeys_StoresEachItemOnce_UnderKeysDerivedFromDeliveryAndPosition()
    {
        var first = TestDelivery.Batch(LogsEventsTopology.LogsExchange, TestDelivery.LogItem("ex-1", "same"), TestDelivery.LogItem("ex-1", "same"));
        var again = TestDelivery.Batch(LogsEventsTopology.LogsExchange, TestDelivery.LogItem("ex-1", "same"), TestDelivery.LogItem("ex-1", "same"));

        _batcher.Add(first);
        _time.Advance(BrokerEventBatcher.FlushDelay);
        await Within(first.Acked, "the batch to be acked");
        _batcher.Add(again);
        await AdvanceUntilAsync(() => again.IsAcked, "the redelivery to be acked");

        // Two identical lines in one batch are two lines; the redelivered batch adds none.
        Assert.Equal(2, _store.Rows.Count);
        Assert.Equal(
            [BrokerEventReader.DerivedKey(first) + "#0", BrokerEventReader.DerivedKey(first) + "#1"],
            _store.Rows.Keys.Select(k => k.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RefusedBatchOfBatchMessages_IsStoredLineByLine_DroppingOnlyTheBadLine()
    {
        var batch = TestDelivery.Batch(
            LogsEventsTopology.LogsExchange,
            TestDelivery.LogItem("ex-1", "a", "r1"),
            TestDelivery.LogItem("ex-1", "refuse me", "r2"),
            TestDelivery.LogItem("ex-1", "c", "r3"));
        _store.FailInsert = rows => rows.Any(r => r.Message == "refuse me") ? new InvalidOperationException("constraint violated") : null;

        _batcher.Add(batch);
        _time.Advance(BrokerEventBatcher.FlushDelay);

        await Within(batch.Acked, "the batch to be acked");
        Assert.Equal([3, 1, 1, 1], _store.InsertCalls);
        Assert.Equal(["a", "c"], _store.Rows.Values.Select(r => r.Message).Order(StringComparer.Ordinal));
        Assert.Equal(0, batch.Nacks);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
    }

    private static async Task Within(Task task, string expectation)
    {
        try
        {
            await task.WaitAsync(Timeout, Token);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s for {expectation}; it did not happen.", ex);
        }
    }

    /// <summary>Moves fake time by the longest back-off step until <paramref name="done"/> holds (bounded in real time).</summary>
    private async Task AdvanceUntilAsync(Func<bool> done, string expectation)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!done())
        {
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Waited {Timeout.TotalSeconds:0}s (real) for {expectation}; it did not happen.");
            }

            _time.Advance(BrokerEventBatcher.MaxRetryDelay);
            // The batcher runs on the thread pool: give it a moment of real time to react to the advanced clock.
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, Token);
        }
    }

    private sealed class CapturingLogger : ILogger<BrokerEventBatcher>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
