namespace Stratus.Server.Auth;

/// <summary>Cloudify's six built-in roles, in its order (system roles rank above tenant roles, strongest first).</summary>
internal static class Roles
{
    public const string SysAdmin = "sys_admin";
    public const string Default = "default";
    public const string DefaultTenantRole = "user";
    public const string SystemRole = "system_role";
    public const string TenantRole = "tenant_role";

    public static readonly IReadOnlyList<Role> All =
    [
        new(SysAdmin, SystemRole, "Administers the whole manager: tenants, users, groups and every resource"),
        new("manager", TenantRole, "Administers one tenant: its resources and everyone's private ones"),
        new("user", TenantRole, "Works with a tenant's resources: uploads, deploys, runs workflows"),
        new("operations", TenantRole, "Deploys and runs workflows in a tenant, without managing blueprints, plugins or secrets"),
        new("viewer", TenantRole, "Reads a tenant's resources"),
        new(Default, SystemRole, "A known user with no system-wide rights"),
    ];

    /// <summary>Tenant roles from strongest to weakest, for picking the one role a caller is described by.</summary>
    public static readonly IReadOnlyList<string> TenantRolesByStrength = ["manager", "user", "operations", "viewer"];

    public static Role? Find(string name) => All.FirstOrDefault(r => r.Name == name);

    /// <summary>Cloudify's verify_role: an unknown role or one of the other type is <c>bad_parameters_error</c>.</summary>
    public static void Verify(string name, string expectedType)
    {
        var role = Find(name);
        if (role is null)
        {
            var valid = All.Where(r => r.Type == expectedType).Select(r => r.Name);
            throw Core.Errors.StratusException.BadParameters(
                $"Invalid role: `{name}`. Valid {expectedType} roles are: {Http.Wire.PyList(valid)}");
        }

        if (role.Type != expectedType)
        {
            throw Core.Errors.StratusException.BadParameters($"Role `{name}` is a {role.Type} and cannot be assigned as a {expectedType}");
        }
    }
}
