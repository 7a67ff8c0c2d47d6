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
/// Upload as one unit: archive to a staging folder, extract, parse, then move into the file server and insert the
/// row. Any failure deletes the staging folder and leaves neither files nor a row behind.
/// </summary>
internal sealed class BlueprintUploadService(
    IStratusStore store,
    IDslService dsl,
    ResourceLayout layout,
    BlueprintArchiveExtractor extractor,
    ImportedBlueprintLocator importedBlueprints,
    Plugins.PluginCatalog plugins,
    TimeProvider timeProvider) : IDisposable
{
    public const string UploadWorkflow = "upload_blueprint";

    private readonly SemaphoreSlim _publishGate = new(1, 1);

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
        var target = layout.Blueprint(caller.Tenant, request.BlueprintId);
        var uploaded = layout.UploadedBlueprint(caller.Tenant, request.BlueprintId);
        await _publishGate.WaitAsync(cancellationToken);
        try
        {
            if (await store.GetBlueprintAsync(caller.Tenant, request.BlueprintId, CancellationToken.None) is not null)
            {
                throw Http.ResourceIds.AlreadyExists("Blueprint", request.BlueprintId, caller.Tenant);
            }

            // No row exists, so folders here are leftovers of a crash between move and insert.
            TryDelete(target);
            TryDelete(uploaded);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(root, target);
            Directory.CreateDirectory(uploaded);
            File.Move(archivePath, Path.Combine(uploaded, request.BlueprintId + "." + format.Extension()));
            var inserted = false;
            try
            {
                // Checkpoint: files are in place; if the process dies before this insert, the next upload of the
                // same id removes them (above), and no row ever points at half-written files.
                await store.InsertBlueprintAsync(blueprint, CancellationToken.None);
                inserted = true;
            }
            finally
            {
                if (!inserted)
                {
                    TryDelete(target);
                    TryDelete(uploaded);
                }
            }

            // Checkpoint: the blueprint is usable without this row; it records, truthfully, that the upload ran
            // during the request (cfy waits on the blueprint's upload_execution).
            await store.InsertExecutionAsync(UploadExecution(blueprint, request), exclusiveOnDeployment: false, CancellationToken.None);
            return blueprint;
        }
        finally
        {
            _publishGate.Release();
        }
    }

    public void Dispose() => _publishGate.Dispose();

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
            // Best effort: a leftover staging folder holds no row and is removed by the next upload of the id.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
