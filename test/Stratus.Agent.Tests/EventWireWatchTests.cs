using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Stratus.Agent.Manager;
using Stratus.Agent.Standalone;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;

namespace Stratus.Agent.Tests;

/// <summary>
/// A standalone agent on the broker sends batch messages only while every live manager reads them, learnt from
/// <c>GET /managers</c>; anything else (an older manager, no answer, nobody listed) means one message per line.
/// </summary>
public sealed class EventWireWatchTests
{
    private const string Token = "agt-secretsecretsecret";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string AllBatch = """{"items": [{"hostname": "m1", "event_wire": 1}, {"hostname": "m2", "event_wire": 1}], "metadata": {}}""";

    private const string OneOldField = """{"items": [{"hostname": "m1", "event_wire": 1}, {"hostname": "m2", "event_wire": 0}], "metadata": {}}""";

    private const string OneOldNoField = """{"items": [{"hostname": "m1", "event_wire": 1}, {"hostname": "m2", "version": "7.1.0"}], "metadata": {}}""";

    [Theory]
    [InlineData(200, AllBatch, true)]
    [InlineData(200, OneOldField, false)]
    [InlineData(200, OneOldNoField, false)]
    [InlineData(200, """{"items": [], "metadata": {}}""", false)]
    [InlineData(403, """{"message": "not permitted", "error_code": "forbidden_error"}""", false)]
    [InlineData(0, "", false)]
    public async Task Check_LetsThePublisherSendArrays_OnlyWhenEveryListedManagerReadsThem(int status, string body, bool batches)
    {
        var managers = new Managers();
        managers.Answers.Enqueue(status == 0 ? null : ((HttpStatusCode)status, body));
        var wire = new EventWire();
        // The opposite of the expected answer, so each case shows the check moving the wire.
        wire.TrySet(!batches);
        var watch = Watch(managers, wire, new FakeTimeProvider(), new ListLogger());
        var broker = new InProcessBroker();
        using var publisher = new BrokerEventPublisher(broker, Options.Create(new AgentOptions()), wire);

        await watch.CheckAsync(Cancel);
        await publisher.PublishAsync(
            [.. Enumerable.Range(0, 3).Select(i => BrokerEventPublisherTests.Item("cloudify_event", $"e{i}"))],
            [.. Enumerable.Range(0, 2).Select(i => BrokerEventPublisherTests.Item("cloudify_log", $"l{i}"))],
            "vm_abc",
            Cancel);

        Assert.Equal(batches, wire.PublishBatches);
        var received = await BrokerEventPublisherTests.ReceiveAsync(broker, batches ? 2 : 5, $"answer {status} {body}");
        Assert.All(received, m => Assert.Equal(batches, System.Text.Json.Nodes.JsonNode.Parse(m.Body.Span) is System.Text.Json.Nodes.JsonArray));
    }

    [Fact]
    public async Task Watch_ChecksAtStartThenEveryIntervalPlusJitter_WithTheAgentsToken_AndLogsOnlyChanges()
    {
        var managers = new Managers();
        managers.Answers.Enqueue((HttpStatusCode.OK, AllBatch));
        managers.Answers.Enqueue((HttpStatusCode.OK, AllBatch));
        managers.Answers.Enqueue((HttpStatusCode.OK, OneOldNoField));
        managers.Answers.Enqueue(null);
        var wire = new EventWire();
        var time = new WatchedTime();
        var logs = new ListLogger();
        var watch = Watch(managers, wire, time, logs);
        var states = new List<bool>();

        await watch.StartAsync(Cancel);
        var waits = new List<TimeSpan>();
        for (var check = 1; check <= 4; check++)
        {
            waits.Add(await time.NextTimerAsync($"after check {check}"));
            states.Add(wire.PublishBatches);
            if (check < 4)
            {
                time.Advance(waits[^1]);
            }
        }

        await watch.StopAsync(Cancel);

        Assert.Equal([true, true, false, false], states);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)));
        Assert.Equal(4, managers.Requests.Count);
        Assert.All(managers.Requests, r =>
        {
            Assert.Equal("GET /api/v3.1/managers?_get_all_results=true", $"{r.Method} {r.RequestUri!.PathAndQuery}");
            Assert.Equal(Token, r.Headers.GetValues("Authentication-Token").Single());
            Assert.Equal("t1", r.Headers.GetValues("Tenant").Single());
        });
        Assert.Equal(2, logs.Lines.Count);
        Assert.Contains("one batch message per exchange", logs.Lines[0], StringComparison.Ordinal);
        Assert.Contains("one message per line", logs.Lines[1], StringComparison.Ordinal);
        Assert.Contains("m2", logs.Lines[1], StringComparison.Ordinal);
        Assert.All(logs.Lines, l => Assert.DoesNotContain("secret", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Watch_AsksNothing_WhenEventsGoToRest()
    {
        var managers = new Managers();
        var watch = Watch(managers, new EventWire(), new FakeTimeProvider(), new ListLogger(), EventsRoute.Rest);

        await watch.StartAsync(Cancel);
        await watch.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        Assert.Empty(managers.Requests);
    }

    private static EventWireWatch Watch(Managers managers, EventWire wire, TimeProvider time, ListLogger logger, EventsRoute route = EventsRoute.Broker)
    {
        var options = new AgentOptions { Name = "vm_abc", EventsVia = route };
        options.ManagerUrls.Add(new Uri("http://10.0.0.1:8000/"));
        var credentials = new AgentCredentials { Token = Token, Tenant = "t1" };
        var client = new AgentRestClient(new Clients(managers), new ManagerFailover(), Options.Create(options), credentials);
        return new EventWireWatch(client, wire, Options.Create(options), time, logger);
    }

    /// <summary>Answers each request with the next canned answer; null: the connection is refused.</summary>
    private sealed class Managers : HttpMessageHandler
    {
        public Queue<(HttpStatusCode Status, string Body)?> Answers { get; } = new();

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Answers.Dequeue() is { } answer
                ? Task.FromResult(new HttpResponseMessage(answer.Status) { Content = new StringContent(answer.Body, Encoding.UTF8, "application/json") })
                : throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111));
        }
    }

    private sealed class Clients(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class ListLogger : ILogger<EventWireWatch>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception));
            }
        }
    }
}
