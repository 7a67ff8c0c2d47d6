namespace Stratus.Server.Auth;

/// <summary>A role: <c>system_role</c> (held by users and groups) or <c>tenant_role</c> (held in a tenant).</summary>
internal sealed record Role(string Name, string Type, string Description);
