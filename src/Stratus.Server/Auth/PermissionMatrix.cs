using System.Collections.Frozen;

namespace Stratus.Server.Auth;

/// <summary>
/// Which roles hold which permission, read once from the embedded <c>DefaultPermissions.txt</c> (role-set sections
/// listing permission names). A permission nobody lists is held by <c>sys_admin</c> only, as in Cloudify.
/// </summary>
internal sealed class PermissionMatrix
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _rolesByPermission;

    private PermissionMatrix(Dictionary<string, HashSet<string>> rolesByPermission)
    {
        _rolesByPermission = rolesByPermission.ToFrozenDictionary(p => p.Key, p => p.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    public static PermissionMatrix Default { get; } = Parse(ReadResource());

    /// <summary>Every (role, permission) pair, ordered by permission then by Cloudify's role order.</summary>
    public IEnumerable<(string Role, string Permission)> Entries =>
        _rolesByPermission.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => Roles.All.Where(r => p.Value.Contains(r.Name)).Select(r => (r.Name, p.Key)));

    public bool Allows(string permission, IEnumerable<string> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var holders = _rolesByPermission.TryGetValue(permission, out var set) ? set : null;
        return roles.Any(r => holders is null ? r == Roles.SysAdmin : holders.Contains(r));
    }

    public static PermissionMatrix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var map = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        string[]? roles = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                roles = line[1..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (roles.FirstOrDefault(r => Roles.Find(r) is null) is { } unknown)
                {
                    throw new InvalidOperationException($"Permission matrix names an unknown role `{unknown}`");
                }

                continue;
            }

            if (roles is null)
            {
                throw new InvalidOperationException($"Permission matrix lists `{line}` before any role section");
            }

            foreach (var permission in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!map.TryAdd(permission, [.. roles]))
                {
                    throw new InvalidOperationException($"Permission matrix lists `{permission}` twice");
                }
            }
        }

        return new PermissionMatrix(map);
    }

    private static string ReadResource()
    {
        using var stream = typeof(PermissionMatrix).Assembly.GetManifestResourceStream("Stratus.Server.Auth.DefaultPermissions.txt")
            ?? throw new InvalidOperationException("The embedded permission matrix is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
