using System.Text.Json.Nodes;
using Stratus.Archiving;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Dsl;
using Stratus.Server.Files;
using Stratus.Storage;

namespace Stratus.Server.Blueprints;

/// <summary>
/// Upload as one unit: archive to a staging folder, extract, parse, then insert the row with every file (extracted
/// tree and archive) in one transaction; the staged folders then become this manager's cached copies. Any failure
/// deletes the staging folder and leaves neither files nor a row behind.
/// </summary>
internal sealed class BlueprintUploadService(
    IStratusStore store,
    IDslService dsl,
    ResourceLayout layout,
    ResourceCache cache,
    BlueprintArchiveExtractor extractor,
    ImportedBlueprintLocator importedBlueprints,
    Plugins.PluginCatalog plugins,
    TimeProvider timeProvider)
{
    public const string UploadWorkflow = "upload_blueprint";

    public async Task<Blueprint> UploadAsync(Caller caller, BlueprintUploadRequest request, Stream archive, long maxBytes, CancellationToken cancellationToken)
    {
        if (!request.ValidateOnly && await store.GetBlueprintAsync(caller.Tenant, request.BlueprintId, cancellationToken) is not null)
        {
            throw Http.ResourceIds.AlreadyExists("Blueprint", request.BlueprintId, caller.Tenant);
        }

        var staging = layout.Staging();
        Directory.CreateDirectory(staging);
        try
        {
            var archivePath = Path.Combine(staging, "archive");
            await Http.UploadBody.SaveAsync(archive, archivePath, maxBytes, "blueprint", cancellationToken);
            var extracted = Path.Combine(staging, "extracted");
            var format = extractor.Extract(archivePath, extracted, cancellationToken);
            var root = BlueprintArchiveExtractor.FindRoot(extracted);
            var (plan, imported) = await ParseAsync(caller, request, root, cancellationToken);
            if (request.ValidateOnly)
            {
                return plan;
            }

            NamespacedResources.Materialize(root, plan.Plan!, imported);
            return await PublishAsync(caller, request, plan, root, archivePath, format, cancellationToken);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private async Task<(Blueprint Blueprint, IReadOnlyDictionary<string, ImportedBlueprint> Imported)> ParseAsync(
        Caller caller, BlueprintUploadRequest request, string root, CancellationToken cancellationToken)
    {
        var mainFile = Path.GetFullPath(Path.Combine(root, request.ApplicationFileName));
        if (!mainFile.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(mainFile))
        {
            throw StratusException.InvalidBlueprint(
                $"Blueprint `{request.BlueprintId}` is invalid. Error: the archive has no main blueprint file `{request.ApplicationFileName}`");
        }

        // The parser asks for blueprint: imports synchronously; unknown ids are looked up in the store between
        // attempts (one more attempt per level of nested blueprint imports) so no thread blocks on the store.
        var pluginResolver = await plugins.ResolverForAsync(caller, mainFile, cancellationToken);
        var known = new Dictionary<string, ImportedBlueprint?>(StringComparer.Ordinal);
        while (true)
        {
            var asked = new HashSet<string>(StringComparer.Ordinal);
            var unavailable = new List<string>();
            try
            {
                var parsed = dsl.Parse(mainFile, pluginResolver, id => Known(known, asked, unavailable, id), cancellationToken);
                var imported = known.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
                return (ToBlueprint(request, parsed), imported);
            }
            catch (DslParseException) when (asked.Count > 0)
            {
                foreach (var id in asked)
                {
                    known[id] = await importedBlueprints.FindAsync(caller.Tenant, id, cancellationToken);
                }
            }
            catch (DslParseException) when (unavailable.Count > 0)
            {
                // Cloudify's resolver answers an unknown blueprint: import with not_found_error (404).
                throw StratusException.NotFound(
                    $"Requested blueprint import `{unavailable[0]}` was not found, please first upload the blueprint with that id.");
            }
            catch (DslParseException e)
            {
                var file = e.File is { } f ? Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, f))) : request.ApplicationFileName;
                var where = e.Line > 0 ? $"{file}:{e.Line}:{e.Column}: " : "";
                throw StratusException.InvalidBlueprint($"Blueprint `{request.BlueprintId}` is invalid. Error: Invalid blueprint - {where}{e.Message}");
            }
        }
    }

    private static string? Known(Dictionary<string, ImportedBlueprint?> known, HashSet<string> asked, List<string> unavailable, string id)
    {
        if (known.TryGetValue(id, out var blueprint))
        {
            if (blueprint is null)
            {
                unavailable.Add(id);
            }

            return blueprint?.MainFile;
        }

        asked.Add(id);
        return null;
    }

    private Blueprint ToBlueprint(BlueprintUploadRequest request, ParsedBlueprint parsed)
    {
        var now = timeProvider.GetUtcNow();
        return new Blueprint
        {
            Id = request.BlueprintId,
            TenantName = "",
            CreatedBy = "",
            Visibility = request.Visibility,
            CreatedAt = now,
            UpdatedAt = now,
            MainFileName = request.ApplicationFileName,
            Plan = parsed.Plan,
            Description = parsed.Description,
            State = "uploaded",
        };
    }

    private async Task<Blueprint> PublishAsync(
        Caller caller,
        BlueprintUploadRequest request,
        Blueprint parsed,
        string root,
        string archivePath,
        ArchiveFormat format,
        CancellationToken cancellationToken)
    {
        var labels = request.Labels.Count > 0 ? request.Labels : PlanLabels(parsed.Plan?["blueprint_labels"]);
        var blueprint = parsed with
        {
            TenantName = caller.Tenant,
            CreatedBy = caller.Username,
            Labels = Labels.LabelRules.Stamp(labels, parsed.CreatedAt, caller.Username),
        };

        // The archive gets a folder of its own in the staging area so that it can become the local copy by a rename.
        var archiveFolder = Path.Combine(Path.GetDirectoryName(archivePath)!, "uploaded");
        Directory.CreateDirectory(archiveFolder);
        File.Move(archivePath, Path.Combine(archiveFolder, request.BlueprintId + "." + format.Extension()));
        var generation = Guid.NewGuid().ToString("N");
        var files = ResourceOwner.Blueprint(caller.Tenant, request.BlueprintId);
        var archive = ResourceOwner.UploadedBlueprint(caller.Tenant, request.BlueprintId);

        // Checkpoint: the row and every file are committed in one transaction (a duplicate id or any failure stores
        // nothing); what follows only warms this manager's cache, which any manager can rebuild from the database.
        await store.InsertBlueprintAsync(
            blueprint,
            [new ResourceFileSet(files, generation, ResourceCache.FilesOf(root)), new ResourceFileSet(archive, generation, ResourceCache.FilesOf(archiveFolder))],
            cancellationToken);
        await cache.AdoptAsync(files, generation, root, CancellationToken.None);
        await cache.AdoptAsync(archive, generation, archiveFolder, CancellationToken.None);

        // Checkpoint: the blueprint is usable without this row; it records, truthfully, that the upload ran
        // during the request (cfy waits on the blueprint's upload_execution).
        await store.InsertExecutionAsync(UploadExecution(blueprint, request), exclusiveOnDeployment: false, CancellationToken.None);
        return blueprint;
    }

    /// <summary>
    /// Cloudify's get_labels_from_plan: the plan's <c>blueprint_labels</c>, used only when the upload names no labels
    /// (the upload's labels replace them, as Cloudify's upload workflow hands only those to the blueprint).
    /// </summary>
    private static List<(string Key, string Value)> PlanLabels(JsonNode? section)
    {
        var labels = new List<(string Key, string Value)>();
        foreach (var (key, spec) in section as JsonObject ?? [])
        {
            foreach (var value in spec?["values"] as JsonArray ?? [])
            {
                labels.Add(Labels.LabelRules.Parse(key, value));
            }
        }

        Labels.LabelRules.RequireUnique(labels);
        return labels;
    }

    private Execution UploadExecution(Blueprint blueprint, BlueprintUploadRequest request)
    {
        var now = timeProvider.GetUtcNow();
        return new Execution
        {
            Id = Guid.NewGuid().ToString(),
            TenantName = blueprint.TenantName,
            CreatedBy = blueprint.CreatedBy,
            Visibility = blueprint.Visibility,
            WorkflowId = UploadWorkflow,
            BlueprintId = blueprint.Id,
            Status = ExecutionStatus.Terminated,
            Parameters = new JsonObject
            {
                ["app_file_name"] = request.ApplicationFileName,
                ["blueprint_id"] = blueprint.Id,
                ["file_server_root"] = layout.Root,
                ["labels"] = new JsonArray([.. request.Labels.Select(l => (JsonNode)new JsonObject { ["key"] = l.Key, ["value"] = l.Value })]),
                ["url"] = null,
                ["validate_only"] = false,
            },
            AllowCustomParameters = true,
            CreatedAt = blueprint.CreatedAt,
            StartedAt = blueprint.CreatedAt,
            EndedAt = now,
        };
    }

    internal static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: a leftover staging folder holds no row and is never served.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
