using System.Text.Json.Nodes;
using Stratus.Archiving;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Blueprints;
using Stratus.Server.Files;
using Stratus.Storage;

namespace Stratus.Server.Plugins;

/// <summary>
/// <c>POST /plugins</c> as one unit: the body goes to a staging folder; a wagon is kept as is, a zip (what
/// <c>cfy plugins upload</c> sends: the wagon plus its yaml files) is extracted by the hardened extractor; the wagon's
/// package.json is read; the row and the files are stored in one transaction and the files become the cached
/// <c>plugins/&lt;id&gt;/</c>. Any failure leaves neither files nor a row.
/// </summary>
internal sealed class PluginUploadService(IStratusStore store, ResourceLayout layout, ResourceCache cache, ManagerOptions options, TimeProvider timeProvider)
{
    /// <summary>The one stored file name that is not the wagon or a yaml (<c>?full_archive=true</c>'s cache).</summary>
    public const string FullArchiveName = "plugin_archive.zip";

    /// <summary>Stores the upload; one plugin, or one per wagon of a caravan (all or none of them).</summary>
    public async Task<IReadOnlyList<Plugin>> UploadAsync(Caller caller, PluginUploadRequest request, Stream body, CancellationToken cancellationToken)
    {
        var staging = layout.Staging();
        Directory.CreateDirectory(staging);
        try
        {
            var upload = Path.Combine(staging, "plugin");
            await Http.UploadBody.SaveAsync(body, upload, options.MaxPluginBytes, "plugin", cancellationToken);
            var staged = Stage(caller, request, upload, staging, cancellationToken);
            var published = new List<Plugin>(staged.Count);
            var complete = false;
            try
            {
                foreach (var (plugin, files) in staged)
                {
                    published.Add(await PublishAsync(plugin, files));
                }

                complete = true;
                return published;
            }
            finally
            {
                if (!complete)
                {
                    // A caravan is stored whole or not at all: undo the plugins already published.
                    foreach (var plugin in published)
                    {
                        await store.DeletePluginAsync(plugin.TenantName, plugin.Id, CancellationToken.None);
                        BlueprintUploadService.TryDelete(layout.Plugin(plugin.Id));
                    }
                }
            }
        }
        finally
        {
            BlueprintUploadService.TryDelete(staging);
        }
    }

    /// <summary>Reads the upload (a wagon, a zip of a wagon and yaml files, or a caravan) and lays out each plugin's files.</summary>
    private List<(Plugin Plugin, string Files)> Stage(
        Caller caller, PluginUploadRequest request, string upload, string staging, CancellationToken cancellationToken)
    {
        var extracted = Path.Combine(staging, "extracted");
        if (WagonMetadata.ReadIfWagon(upload, options.MaxExtractedBytes, cancellationToken) is { } metadata)
        {
            return [Lay(caller, request, metadata, upload, null, [], staging, 0)];
        }

        var format = Detect(upload);
        if (format == ArchiveFormat.Zip)
        {
            Extract(upload, extracted, MaxZipEntries, cancellationToken);
            var wagons = Directory.GetFiles(extracted, "*.wgn");
            if (wagons.Length != 1)
            {
                throw StratusException.InvalidPlugin("Archive must include one wgn file");
            }

            var yamls = Directory.GetFiles(extracted, "*.yaml").Order(StringComparer.Ordinal).ToList();
            var wagonMetadata = WagonMetadata.Read(wagons[0], options.MaxExtractedBytes, cancellationToken);
            return [Lay(caller, request, wagonMetadata, wagons[0], Path.GetFileName(wagons[0]), yamls, staging, 0)];
        }

        if (format is not null)
        {
            Extract(upload, extracted, MaxCaravanEntries, cancellationToken);
            var root = BlueprintArchiveExtractor.FindRoot(extracted);
            if (File.Exists(Path.Combine(root, "METADATA")))
            {
                return Caravan(caller, request, root, staging, cancellationToken);
            }
        }

        throw StratusException.InvalidPlugin("input can be only a wagon or a zip file.");
    }

    /// <summary>A caravan: a tar whose top folder holds wagons, yaml files and METADATA (<c>{wagon path: yaml path}</c>).</summary>
    private List<(Plugin Plugin, string Files)> Caravan(
        Caller caller, PluginUploadRequest request, string root, string staging, CancellationToken cancellationToken)
    {
        var metadataPath = Path.Combine(root, "METADATA");
        JsonObject? pairs = null;
        try
        {
            pairs = new FileInfo(metadataPath).Length <= 1024 * 1024 ? JsonNode.Parse(File.ReadAllText(metadataPath)) as JsonObject : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // Reported below with the other malformed shapes.
        }

        if (pairs is null || pairs.Count == 0)
        {
            throw StratusException.InvalidPlugin("The caravan's METADATA must map each wagon to its yaml file");
        }

        var staged = new List<(Plugin, string)>();
        foreach (var (wagonName, yamlNode) in pairs)
        {
            var wagon = Inside(root, wagonName);
            var yaml = Inside(root, yamlNode is JsonValue v && v.TryGetValue<string>(out var y) ? y : "");
            var metadata = WagonMetadata.Read(wagon, options.MaxExtractedBytes, cancellationToken);

            // As in Cloudify, every wagon of a caravan gets a new id.
            var each = request with { Id = Guid.NewGuid().ToString() };
            staged.Add(Lay(caller, each, metadata, wagon, Path.GetFileName(wagon), [yaml], staging, staged.Count));
        }

        return staged;
    }

    private static string Inside(string root, string relative)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return relative.Length > 0 && full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full)
            ? full
            : throw StratusException.InvalidPlugin($"The caravan's METADATA names `{relative}`, which is not a file of the caravan");
    }

    /// <summary>Puts one plugin's wagon (under its archive name) and yaml files into their own folder of the staging area.</summary>
    private (Plugin Plugin, string Files) Lay(
        Caller caller,
        PluginUploadRequest request,
        JsonObject metadata,
        string wagon,
        string? wagonFileName,
        List<string> yamlPaths,
        string staging,
        int index)
    {
        var plugin = FromMetadata(caller, request, metadata, wagonFileName);
        var yamls = yamlPaths.Select(p => Path.GetFileName(p)).ToList();
        if (yamls.Contains(plugin.ArchiveName, StringComparer.Ordinal) || yamls.Distinct(StringComparer.Ordinal).Count() != yamls.Count)
        {
            throw StratusException.InvalidPlugin($"The plugin's file names collide: `{plugin.ArchiveName}`, {string.Join(", ", yamls)}");
        }

        var files = Path.Combine(staging, "files-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(files);
        File.Move(wagon, Path.Combine(files, plugin.ArchiveName));
        for (var i = 0; i < yamls.Count; i++)
        {
            File.Copy(yamlPaths[i], Path.Combine(files, yamls[i]));
        }

        var extras = PluginYamlExtras.Read(files, yamls);
        return (plugin with
        {
            YamlFiles = yamls,
            BlueprintLabels = extras.BlueprintLabels,
            Labels = extras.Labels,
            ResourceTags = extras.ResourceTags,
        }, files);
    }

    private async Task<Plugin> PublishAsync(Plugin plugin, string files)
    {
        var generation = Guid.NewGuid().ToString("N");
        var owner = ResourceOwner.Plugin(plugin.TenantName, plugin.Id);

        // Checkpoint: the row and the files are committed in one transaction (an existing id stores nothing); the
        // local copy below is a cache any manager rebuilds from the database.
        await store.InsertPluginAsync(plugin, [new ResourceFileSet(owner, generation, ResourceCache.FilesOf(files))], CancellationToken.None);
        await cache.AdoptAsync(owner, generation, files, CancellationToken.None);
        return plugin;
    }

    private Plugin FromMetadata(Caller caller, PluginUploadRequest request, JsonObject metadata, string? wagonFileName)
    {
        var packageName = Text(metadata, "package_name");
        if (string.IsNullOrEmpty(packageName))
        {
            throw WagonMetadata.Unreadable("WagonError", "package.json has no package_name");
        }

        var version = Text(metadata, "package_version");
        var archiveName = Text(metadata, "archive_name") ?? wagonFileName ?? $"{packageName}-{version ?? "0"}.wgn";
        if (archiveName.Length > 255 || archiveName != Path.GetFileName(archiveName) || archiveName.StartsWith('.')
            || archiveName.Contains('\\', StringComparison.Ordinal) || archiveName.Contains('\0', StringComparison.Ordinal)
            || archiveName.EndsWith(".yaml", StringComparison.Ordinal) || archiveName == FullArchiveName)
        {
            throw WagonMetadata.Unreadable("WagonError", $"archive_name `{archiveName}` is not a plain file name");
        }

        var os = metadata["build_server_os_properties"] as JsonObject;
        return new Plugin
        {
            Id = request.Id,
            TenantName = caller.Tenant,
            CreatedBy = request.CreatedBy ?? caller.Username,
            Visibility = request.Visibility,
            UploadedAt = request.UploadedAt ?? timeProvider.GetUtcNow(),
            PackageName = packageName,
            PackageVersion = version,
            PackageSource = Text(metadata, "package_source"),
            ArchiveName = archiveName,
            Distribution = os is null ? null : Text(os, "distribution"),
            DistributionVersion = os is null ? null : Text(os, "distribution_version"),
            DistributionRelease = os is null ? null : Text(os, "distribution_release"),
            SupportedPlatform = metadata["supported_platform"]?.DeepClone(),
            SupportedPyVersions = metadata["supported_python_versions"]?.DeepClone(),
            Wheels = metadata["wheels"]?.DeepClone() ?? new JsonArray(),
            ExcludedWheels = metadata["excluded_wheels"]?.DeepClone(),
            Title = request.Title ?? packageName,
        };
    }

    private static string? Text(JsonObject metadata, string key) => metadata[key] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value => value.ToJsonString(),
        _ => throw WagonMetadata.Unreadable("WagonError", $"{key} in package.json is not a scalar"),
    };

    private void Extract(string upload, string extracted, int maxEntries, CancellationToken cancellationToken)
    {
        var extractor = new BlueprintArchiveExtractor(new ArchiveLimits(maxEntries, options.MaxPluginBytes));
        try
        {
            extractor.Extract(upload, extracted, cancellationToken);
        }
        catch (StratusException e) when (e.ErrorCode == ErrorCodes.InvalidBlueprint)
        {
            // The extractor speaks of blueprints; the refusal is the same, the error code is the plugin's.
            throw StratusException.InvalidPlugin(e.Message.Replace("Invalid blueprint archive", "Invalid plugin archive", StringComparison.Ordinal));
        }
    }

    /// <summary>A wagon, its yaml files and an icon; anything near this many entries is not a plugin upload.</summary>
    private const int MaxZipEntries = 100;

    /// <summary>A caravan holds a wagon and a yaml per plugin, plus METADATA.</summary>
    private const int MaxCaravanEntries = 1000;

    private static ArchiveFormat? Detect(string path)
    {
        var head = new byte[512];
        using var file = File.OpenRead(path);
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return ArchiveFormats.Detect(head.AsSpan(0, read));
    }

    internal static StratusException PluginExists(Plugin plugin) =>
        StratusException.Conflict(
            $"<Plugin id=`{plugin.Id}` tenant=`{plugin.TenantName}`> already exists on <Tenant name=`{plugin.TenantName}`> or with global visibility");
}
