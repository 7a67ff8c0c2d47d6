namespace Stratus.Core.Model;

/// <summary>A tenant role held by a user or a group (<see cref="Principal"/> is the username or the group name).</summary>
public sealed record TenantGrant(string Tenant, string Principal, string Role);
