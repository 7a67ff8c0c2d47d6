namespace Stratus.Core.Model;

/// <summary>A user group (Cloudify's <c>groups</c>): its members get its system role and its tenant roles.</summary>
public sealed record UserGroup
{
    public long StorageId { get; init; }

    public required string Name { get; init; }

    public string? LdapDn { get; init; }

    /// <summary>System role given to every member: <c>sys_admin</c> or <c>default</c>.</summary>
    public required string Role { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
