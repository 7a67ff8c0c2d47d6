namespace Stratus.Core.Model;

/// <summary>Every tenant, user, group and the associations between them, read in one snapshot.</summary>
public sealed record IdentitySnapshot(
    IReadOnlyList<Tenant> Tenants,
    IReadOnlyList<User> Users,
    IReadOnlyList<UserGroup> Groups,
    IReadOnlyList<TenantGrant> UserGrants,
    IReadOnlyList<TenantGrant> GroupGrants,
    IReadOnlyList<GroupMembership> Memberships);
