using System.Net;
using System.Text.Json.Nodes;

namespace Stratus.Server.Agents;

/// <summary>
/// Checks at start that <see cref="ManagerOptions.BrokerManagementUrl"/> can make agents' broker users, so a wrong URL
/// or password stops the manager with a message naming the flag instead of surfacing as a 500 at the first
/// <c>create_rabbitmq_user</c>: the API answers within <see cref="Timeout"/>, takes the credentials, its user has
/// RabbitMQ's <c>administrator</c> tag (only such users may create users and set permissions) and the broker URL's
/// vhost exists. Messages name the API's address and user, never the password.
/// </summary>
internal static class BrokerManagementCheck
{
    public const string Flag = "--broker-management-url";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task VerifyAsync(BrokerManagementApi api, string vhost, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var deadline = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var (status, whoami) = await api.ProbeAsync("api/whoami", linked.Token);
            if (status == HttpStatusCode.Unauthorized)
            {
                throw Refused(
                    $"RabbitMQ's management API at {api.Address} refused the credentials of user `{api.Username}` "
                    + $"(401: {Reason(whoami) ?? "no reason given"}); check the user and password in the URL");
            }

            if (status != HttpStatusCode.OK || whoami?["name"] is null)
            {
                throw Refused(
                    $"{api.Address} answered GET /api/whoami with {(int)status} {status}{(Reason(whoami) is { } why ? $" ({why})" : "")}: "
                    + "it does not look like RabbitMQ's management API (http://user:password@host:15672)");
            }

            var tags = Tags(whoami["tags"]);
            if (!tags.Contains("administrator", StringComparer.Ordinal))
            {
                throw Refused(
                    $"user `{api.Username}` of RabbitMQ's management API at {api.Address} has the tags "
                    + $"[{string.Join(", ", tags)}], not `administrator`: it cannot create agents' broker users and set their permissions");
            }

            var (vhostStatus, vhostBody) = await api.ProbeAsync("api/vhosts/" + Uri.EscapeDataString(vhost), linked.Token);
            if (vhostStatus == HttpStatusCode.NotFound)
            {
                throw Refused(
                    $"the vhost `{vhost}` of --broker-url does not exist on the RabbitMQ of the management API at {api.Address}");
            }

            if (vhostStatus != HttpStatusCode.OK)
            {
                throw Refused(
                    $"RabbitMQ's management API at {api.Address} answered GET /api/vhosts/{vhost} with {(int)vhostStatus} {vhostStatus}"
                    + (Reason(vhostBody) is { } why ? $" ({why})" : ""));
            }
        }
        catch (HttpRequestException e)
        {
            var cause = e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{e.Message} ({inner.Message})"
                : e.Message;
            throw Refused($"RabbitMQ's management API at {api.Address} is unreachable: {cause}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Refused($"RabbitMQ's management API at {api.Address} did not answer within {Timeout.TotalSeconds:0} s", e);
        }
    }

    private static InvalidOperationException Refused(string reason, Exception? inner = null) => new($"{Flag}: {reason}", inner);

    private static string? Reason(JsonNode? body) =>
        body is JsonObject o && o["reason"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>RabbitMQ 3.9 and later answer a list of tags; older ones a comma-separated string.</summary>
    private static List<string> Tags(JsonNode? tags) => tags switch
    {
        JsonArray list => [.. list.Select(t => t is JsonValue v && v.TryGetValue<string>(out var tag) ? tag : null).OfType<string>()],
        JsonValue value when value.TryGetValue<string>(out var text) =>
            [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
        _ => [],
    };
}
