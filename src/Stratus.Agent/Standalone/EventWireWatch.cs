using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stratus.Agent.Manager;
using Stratus.Messaging;

namespace Stratus.Agent.Standalone;

/// <summary>
/// Keeps <see cref="EventWire"/> true only while every live manager reads batch messages, so that during a rolling
/// upgrade (agents first, or managers in any order) no older manager sharing <c>cloudify-logs-events</c> is handed a
/// JSON array it would drop. Reads <c>GET /managers</c> with the agent's own credentials at start and then every
/// <see cref="AgentOptions.EventWireCheckInterval"/> plus up to as much again at random (so a fleet of agents restarted
/// together does not ask together). Batches only when the list is non-empty and each item reports
/// <see cref="LogsEventsWire.Batch"/>; an item without the field (an older manager answered, or listed itself), an
/// empty list or a failed call means one message per line until the next check. Runs only for an agent whose events
/// go to the broker. A manager that joins between two checks is seen at the next one.
/// </summary>
internal sealed partial class EventWireWatch(
    AgentRestClient client, EventWire wire, IOptions<AgentOptions> options, TimeProvider time, ILogger<EventWireWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.EventsVia != EventsRoute.Broker)
        {
            return;
        }

        try
        {
            while (true)
            {
                await CheckAsync(stoppingToken);
                var interval = options.Value.EventWireCheckInterval;
                await Task.Delay(interval + (interval * Random.Shared.NextDouble()), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>One check: lists the managers and sets the wire, logging a change (never the credentials).</summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        bool batches;
        string reason;
        try
        {
            var page = await client.SendAsync(HttpMethod.Get, "api/v3.1/managers?_get_all_results=true", null, cancellationToken);
            (batches, reason) = Decide(page);
        }
        catch (ManagerApiException e)
        {
            (batches, reason) = (false, $"the managers could not be listed ({e.Message})");
        }

        if (wire.TrySet(batches))
        {
            LogWireChanged(logger, options.Value.Name, batches ? "one batch message per exchange" : "one message per line", reason);
        }
    }

    private static (bool Batches, string Reason) Decide(JsonObject? page)
    {
        if (page?["items"] is not JsonArray { Count: > 0 } items)
        {
            return (false, "no live manager is listed");
        }

        foreach (var item in items)
        {
            var level = item?[LogsEventsWire.Field] is JsonValue value && value.TryGetValue<int>(out var v) ? v : LogsEventsWire.Line;
            if (level < LogsEventsWire.Batch)
            {
                return (false, $"manager {JsonRead.String(item?["hostname"]) ?? "?"} reads one line per message");
            }
        }

        return (true, $"every live manager ({items.Count}) reads batches");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentName} now publishes events and logs as {Wire}: {Reason}")]
    private static partial void LogWireChanged(ILogger logger, string agentName, string wire, string reason);
}
