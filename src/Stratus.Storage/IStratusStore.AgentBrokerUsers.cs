using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>
    /// Records the agent's own broker user and its sealed password, unless a password is already stored (the first one
    /// wins: compare-and-set on <c>rabbitmq_password IS NULL</c>). Returns the row as stored after the call, whose
    /// password is the one to use; null when the agent does not exist in the tenant.
    /// </summary>
    Task<AgentRecord?> SetAgentBrokerUserAsync(
        string tenantName, string name, string username, string sealedPassword, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Forgets the agent's broker user when its stored password is still <paramref name="sealedPassword"/>; true when it was.</summary>
    Task<bool> ClearAgentBrokerUserAsync(string tenantName, string name, string sealedPassword, CancellationToken cancellationToken = default);

    /// <summary>The broker users of every agent not marked <c>deleted</c>, in all tenants (to find users left behind).</summary>
    Task<IReadOnlyList<string>> ListAgentBrokerUsersAsync(CancellationToken cancellationToken = default);
}
