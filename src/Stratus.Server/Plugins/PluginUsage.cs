using System.IO.Compression;
using System.Text.Json.Nodes;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Server.Plugins;

/// <summary>What a plugin is bound to once stored: the blueprints that install it, and the full archive of its files.</summary>
internal static class PluginUsage
{
    /// <summary>Cloudify's in-use rule: an uploaded blueprint of the tenant installs the same package name and version.</summary>
    public static async Task<List<string>> BlueprintsUsingAsync(Plugin plugin, string tenant, IStratusStore store, CancellationToken cancellationToken)
    {
        var query = ListQuery.All with { Filters = new Dictionary<string, IReadOnlyList<string>> { ["state"] = ["uploaded"] } };
        var blueprints = await store.ListBlueprintsAsync(tenant, query, cancellationToken);
        return [.. blueprints.Items.Where(b => PluginsToInstall(b.Plan).Any(p => Text(p, "package_name") == plugin.PackageName
            && Text(p, "package_version") == plugin.PackageVersion)).Select(b => b.Id)];
    }

    private static IEnumerable<JsonObject> PluginsToInstall(JsonObject? plan)
    {
        if (plan is null)
        {
            yield break;
        }

        var lists = new List<JsonNode?> { plan["workflow_plugins_to_install"], plan["deployment_plugins_to_install"] };
        if (plan["host_agent_plugins_to_install"] is JsonArray { Count: > 0 } hostAgent)
        {
            lists.Add(hostAgent);
        }
        else if (plan["nodes"] is JsonArray nodes)
        {
            lists.AddRange(nodes.Select(n => n?["plugins_to_install"]));
        }

        foreach (var entry in lists.OfType<JsonArray>().SelectMany(a => a).OfType<JsonObject>())
        {
            yield return entry;
        }
    }

    private static string? Text(JsonObject node, string key) =>
        node[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Zips the wagon and the yaml files into <paramref name="zip"/> (<c>GET /plugins/{id}/archive?full_archive=true</c>).</summary>
    public static void WriteFullArchive(Plugin plugin, string folder, string zip, CancellationToken cancellationToken)
    {
        // Built once, beside the files it holds; a concurrent build writes its own temp file and the last move wins.
        var temp = Path.Combine(folder, $".{Guid.NewGuid():N}.zip");
        try
        {
            using (var archive = ZipFile.Open(temp, ZipArchiveMode.Create))
            {
                foreach (var name in new[] { plugin.ArchiveName }.Concat(plugin.YamlFiles))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    archive.CreateEntryFromFile(Path.Combine(folder, name), name);
                }
            }

            File.Move(temp, zip, overwrite: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw StratusException.NotFound($"The files of plugin `{plugin.Id}` were not found");
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
