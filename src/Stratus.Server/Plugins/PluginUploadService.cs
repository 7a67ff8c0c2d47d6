using System.Text.Json.Nodes;
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
/// package.json is read; the files move into <c>plugins/&lt;id&gt;/</c> and then the row is inserted. Any failure
/// leaves neither files nor a row.
/// </summary>
internal sealed class PluginUploadService(IStratusStore store, ResourceLayout layout, ManagerOptions options, TimeProvider timeProvider)
{
    /// <summary>The one stored file name that is not the wagon or a yaml (<c>?full_archive=true</c>'s cache).</summary>
    public const string FullArchiveName = "plugin_archive.zip";

    public async Task<Plugin> UploadAsync(Caller caller, PluginUploadRequest request, Stream body, CancellationToken cancellationToken)
    {
        var staging = layout.Staging();
        Directory.CreateDirectory(staging);
        try
        {
            var upload = Path.Combine(staging, "plugin");
            await SaveAsync(body, upload, options.MaxPluginBytes, cancellationToken);
            var files = Path.Combine(staging, "files");
            Directory.CreateDirectory(files);
            var plugin = Stage(caller, request, upload, Path.Combine(staging, "extracted"), files, cancellationToken);
            return await PublishAsync(plugin, files);
        }
        finally
        {
            BlueprintUploadService.TryDelete(staging);
        }
    }

    /// <summary>Reads the upload and lays out the plugin's final files in <paramref name="files"/>.</summary>
    private Plugin Stage(Caller caller, PluginUploadRequest request, string upload, string extracted, string files, CancellationToken cancellationToken)
    {
        string wagon;
        string? wagonFileName = null;
        List<string> yamls = [];
        var metadata = WagonMetadata.ReadIfWagon(upload, options.MaxExtractedBytes, cancellationToken);
        if (metadata is not null)
        {
            wagon = upload;
        }
        else if (IsZip(upload))
        {
            Extract(upload, extracted, cancellationToken);
            var wagons = Directory.GetFiles(extracted, "*.wgn");
            if (wagons.Length != 1)
            {
                throw StratusException.InvalidPlugin("Archive must include one wgn file");
            }

            wagon = wagons[0];
            wagonFileName = Path.GetFileName(wagon);
            yamls = [.. Directory.GetFiles(extracted, "*.yaml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
            metadata = WagonMetadata.Read(wagon, options.MaxExtractedBytes, cancellationToken);
        }
        else
        {
            throw StratusException.InvalidPlugin("input can be only a wagon or a zip file.");
        }

        var plugin = FromMetadata(caller, request, metadata, wagonFileName);
        if (yamls.Contains(plugin.ArchiveName, StringComparer.Ordinal))
        {
            throw StratusException.InvalidPlugin($"The wagon's archive name `{plugin.ArchiveName}` collides with a yaml file of the upload");
        }

        File.Move(wagon, Path.Combine(files, plugin.ArchiveName));
        foreach (var yaml in yamls)
        {
            File.Move(Path.Combine(extracted, yaml), Path.Combine(files, yaml));
        }

        var extras = PluginYamlExtras.Read(files, yamls);
        return plugin with
        {
            YamlFiles = yamls,
            BlueprintLabels = extras.BlueprintLabels,
            Labels = extras.Labels,
            ResourceTags = extras.ResourceTags,
        };
    }

    private async Task<Plugin> PublishAsync(Plugin plugin, string files)
    {
        var target = layout.Plugin(plugin.Id);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            // A rename onto an existing folder fails, so of two uploads of one id only one gets here.
            Directory.Move(files, target);
        }
        catch (IOException)
        {
            throw PluginExists(plugin);
        }

        var inserted = false;
        try
        {
            // Checkpoint: the files are in place before the row exists; if the process dies before the insert, the
            // folder is an orphan no row points at (it blocks only a re-upload under the same explicit id).
            await store.InsertPluginAsync(plugin, CancellationToken.None);
            inserted = true;
            return plugin;
        }
        finally
        {
            if (!inserted)
            {
                BlueprintUploadService.TryDelete(target);
            }
        }
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

    private void Extract(string upload, string extracted, CancellationToken cancellationToken)
    {
        var extractor = new BlueprintArchiveExtractor(new ArchiveLimits(MaxZipEntries, options.MaxPluginBytes));
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

    private static bool IsZip(string path)
    {
        var head = new byte[4];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == 4
            && ArchiveFormats.Detect(head) == ArchiveFormat.Zip;
    }

    private static async Task SaveAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw Http.RequestJson.TooLarge(maxBytes);
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (total == 0)
        {
            throw new StratusException(ErrorCodes.UploadMissingFile, 400, "Missing the plugin archive in the request body");
        }
    }

    internal static StratusException PluginExists(Plugin plugin) =>
        StratusException.Conflict(
            $"<Plugin id=`{plugin.Id}` tenant=`{plugin.TenantName}`> already exists on <Tenant name=`{plugin.TenantName}`> or with global visibility");
}
