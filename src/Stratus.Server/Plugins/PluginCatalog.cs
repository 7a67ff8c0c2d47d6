using System.Net;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Files;
using Stratus.Storage;

namespace Stratus.Server.Plugins;

/// <summary>
/// Resolves <c>plugin:&lt;package_name&gt;[?version=..&amp;distribution=..]</c> imports against the plugins the caller
/// sees (the tenant's and global ones), the way Cloudify's catalog resolver does: every <c>version</c> value is a
/// PEP 440 specifier set (a bare version means exactly that text), the highest matching version wins, and of its
/// yaml files the one for the blueprint's DSL version is imported.
/// </summary>
internal sealed class PluginCatalog(IStratusStore store, ResourceCache cache)
{
    /// <summary>The parser's plugin hook for one upload by <paramref name="caller"/> of the blueprint at <paramref name="mainFile"/>.</summary>
    public async Task<Func<string, string?>> ResolverForAsync(Caller caller, string mainFile, CancellationToken cancellationToken)
    {
        // One read per upload: the parser's hook is synchronous, and a tenant holds tens of plugins, not thousands.
        var visible = (await store.ListPluginsAsync(caller.Tenant, ListQuery.All with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken)).Items;
        var dslVersion = PluginYamlFiles.DslVersionOf(mainFile);

        // For the same reason each visible plugin's yaml for this DSL version is made current in the local cache first
        // (one indexed read each when it already is; the wagons stay where they are).
        var yamls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var plugin in visible)
        {
            if (PluginYamlFiles.Choose(plugin.YamlFiles, dslVersion) is { } file
                && await cache.EnsureFileAsync(ResourceOwner.Plugin(plugin.TenantName, plugin.Id), file, cancellationToken) is { } path)
            {
                yamls[plugin.Id] = path;
            }
        }

        return spec =>
        {
            var plugin = Find(visible, spec);
            return yamls.TryGetValue(plugin.Id, out var path)
                ? path
                : throw new DslParseException(13, $"Plugin {plugin.PackageName}: expected one yaml file, but found 0");
        };
    }

    internal static Plugin Find(IReadOnlyList<Plugin> visible, string spec)
    {
        var (name, versions, distributions) = ParseSpec(spec.Trim());
        var specifiers = new List<VersionSpecifier>();
        foreach (var clause in versions.SelectMany(v => v.Split(',')))
        {
            specifiers.Add(VersionSpecifier.TryParse(clause) ?? throw new DslParseException(
                13,
                $"Specified version param {PyList(versions)} of the plugin {name} are in an invalid form. Please refer to the documentation for valid forms of versions"));
        }

        var allowPre = specifiers.Any(s => s.MentionsPreRelease);
        Plugin? best = null;
        PackageVersion? bestVersion = null;
        foreach (var plugin in visible)
        {
            if (plugin.PackageName != name || (distributions.Count > 0 && !distributions.Contains(plugin.Distribution ?? "")))
            {
                continue;
            }

            var version = PackageVersion.TryParse(plugin.PackageVersion);
            if ((version is { IsPreRelease: true } && !allowPre) || !specifiers.All(s => s.Matches(version, plugin.PackageVersion ?? "")))
            {
                continue;
            }

            if (best is null || (version is not null && (bestVersion is null || version.CompareTo(bestVersion) > 0)))
            {
                (best, bestVersion) = (plugin, version);
            }
        }

        if (best is null)
        {
            var versionMessage = specifiers.Count > 0 ? " with version " + string.Join(',', specifiers.Select(s => s.ToString()).Order(StringComparer.Ordinal)) : "";
            throw new DslParseException(
                13,
                $"Couldn't find plugin \"{name}\"{versionMessage} for {Manager.ManagerInfo.Distribution} in the plugins catalog. "
                + "Please upload the plugin using the console, or cfy plugins upload");
        }

        return best;
    }

    /// <summary>Splits <c>name?version=..&amp;distribution=..</c> as Python's <c>parse_qs</c> does (blank values dropped).</summary>
    private static (string Name, List<string> Versions, List<string> Distributions) ParseSpec(string spec)
    {
        var question = spec.IndexOf('?', StringComparison.Ordinal);
        var name = question < 0 ? spec : spec[..question];
        var versions = new List<string>();
        var distributions = new List<string>();
        if (question < 0)
        {
            return (name, versions, distributions);
        }

        foreach (var pair in spec[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            if (value.Length == 0)
            {
                continue;
            }

            switch (key)
            {
                case "version":
                    versions.Add(value);
                    break;
                case "distribution":
                    distributions.Add(value);
                    break;
                default:
                    throw new DslParseException(13, $"Error parsing spec for plugin {name}: invalid parameter {key}");
            }
        }

        return (name, versions, distributions);
    }

    private static string PyList(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(v => $"'{v}'")) + "]";
}
