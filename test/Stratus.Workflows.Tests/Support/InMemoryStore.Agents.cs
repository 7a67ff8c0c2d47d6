using System.Collections.Concurrent;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Workflows.Tests.Support;

internal sealed partial class InMemoryStore
{
    private readonly ConcurrentDictionary<string, AgentRecord> _agents = new(StringComparer.Ordinal);

    public Task<AgentRecord> PutAgentAsync(AgentRecord agent, CancellationToken cancellationToken = default) =>
        Task.FromResult(_agents.GetOrAdd(agent.Name, agent));

    public Task<AgentRecord?> GetAgentAsync(string? tenantName, string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_agents.TryGetValue(name, out var a) && (tenantName is null || a.TenantName == tenantName) ? a : null);

    public Task<Page<AgentRecord>> ListAgentsAsync(string tenantName, ListQuery query, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<AgentRecord?> UpdateAgentAsync(
        string tenantName, string name, AgentUpdate update, IReadOnlyCollection<string>? expectedStates, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<AgentRecord?> RecordAgentHeartbeatAsync(string tenantName, string name, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var updated = _agents.AddOrUpdate(
            name, _ => throw new InvalidOperationException("unknown agent " + name), (_, a) => a with { LastHeartbeat = at });
        return Task.FromResult<AgentRecord?>(updated);
    }

    public Task<IReadOnlyList<string>> MarkSilentAgentsAsync(DateTimeOffset silentSince, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<AgentRecord?> SetAgentBrokerUserAsync(
        string tenantName, string name, string username, string sealedPassword, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<bool> ClearAgentBrokerUserAsync(string tenantName, string name, string sealedPassword, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<IReadOnlyList<string>> ListAgentBrokerUsersAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> SetAgentTokenAsync(string tenantName, string name, string tokenHash, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<AgentRecord?> GetAgentByTokenHashAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
