using System.Text.Json.Nodes;

namespace Stratus.Server.Blueprints;

/// <summary>
/// Scripts of imported files are named <c>ns--path</c>. Cloudify's download_resource reads <c>path</c> from the
/// blueprint <c>ns</c> maps to in the plan's namespaces_mapping, or, for a plain namespaced file, from the importing
/// blueprint itself. Stratus agents fetch a resource by its path from the blueprint's own folder, so the upload puts
/// those files there under their namespaced names; the importing blueprint then keeps working if the imported one
/// is deleted later.
/// </summary>
internal static class NamespacedResources
{
    private const string Delimiter = "--";

    public static void Materialize(string root, JsonObject plan, IReadOnlyDictionary<string, ImportedBlueprint> imported)
    {
        if (plan["namespaces_mapping"] is JsonObject mapping)
        {
            foreach (var (ns, id) in mapping)
            {
                if (id?.GetValue<string>() is { } blueprintId && imported.TryGetValue(blueprintId, out var source))
                {
                    CopyEntries(source.Folder, root, ns + Delimiter);
                }
            }
        }

        foreach (var path in ScriptPaths(plan["nodes"]).Concat(ScriptPaths(plan["workflows"])).Distinct(StringComparer.Ordinal))
        {
            var at = path.LastIndexOf(Delimiter, StringComparison.Ordinal);
            if (at < 0 || Inside(root, path) is not { } target || File.Exists(target))
            {
                continue;
            }

            if (Inside(root, path[(at + Delimiter.Length)..]) is { } local && File.Exists(local) && !IsLink(local))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(local, target);
            }
        }
    }

    /// <summary>Each top-level file or folder of <paramref name="from"/> becomes <c>prefix + name</c> in <paramref name="to"/>.</summary>
    private static void CopyEntries(string from, string to, string prefix)
    {
        var source = new DirectoryInfo(from);
        foreach (var file in source.EnumerateFiles().Where(f => f.LinkTarget is null))
        {
            file.CopyTo(Path.Combine(to, prefix + file.Name), overwrite: true);
        }

        foreach (var dir in source.EnumerateDirectories().Where(d => d.LinkTarget is null))
        {
            CopyTree(dir, Path.Combine(to, prefix + dir.Name));
        }
    }

    private static void CopyTree(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.EnumerateFiles().Where(f => f.LinkTarget is null))
        {
            file.CopyTo(Path.Combine(to, file.Name), overwrite: true);
        }

        foreach (var dir in from.EnumerateDirectories().Where(d => d.LinkTarget is null))
        {
            CopyTree(dir, Path.Combine(to, dir.Name));
        }
    }

    /// <summary>The script_path of every script operation (nodes) or script workflow (workflows) under the node.</summary>
    private static IEnumerable<string> ScriptPaths(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "script_path" && (value is JsonValue ? value : value?["default"]) is JsonValue text
                        && text.TryGetValue<string>(out var path))
                    {
                        yield return path;
                    }
                    else
                    {
                        foreach (var nested in ScriptPaths(value))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var nested in array.SelectMany(ScriptPaths))
                {
                    yield return nested;
                }

                break;
        }
    }

    private static string? Inside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative.TrimStart('/')));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;
}
