using Microsoft.Extensions.Options;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Manager;

internal sealed class HttpManagerApiFactory(
    IHttpClientFactory httpClients,
    IOptions<AgentOptions> options,
    ManagerFailover failover,
    BrokerEventPublisher brokerEvents) : IManagerApiFactory
{
    public const string HttpClientName = "Stratus.Agent.Manager";

    public IManagerApi Create(TaskContext context) =>
        new HttpManagerApi(httpClients.CreateClient(HttpClientName), context, options.Value.Name, [.. options.Value.ManagerUrls],
            failover,
            options.Value.EventsVia == EventsRoute.Broker ? brokerEvents : null);
}
