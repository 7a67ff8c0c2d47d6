using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Files;
using Stratus.Server.Http;
using Stratus.Server.Uploads;
using Stratus.Storage;

namespace Stratus.Server.Blueprints;

internal static class BlueprintEndpoints
{
    private const string UrlArgument = "blueprint_archive_url";

    public static RouteGroupBuilder MapBlueprints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/blueprints");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", UploadAsync);
        group.MapPatch("/{id}", UpdateAsync);
        group.MapPut("/{id}/validate", ValidateAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/archive", DownloadAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, BlueprintRenderer.Fields);
        var page = await store.ListBlueprintsAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "blueprint_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, BlueprintRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], BlueprintRenderer.Fields);
        var blueprint = caller.Visible(await store.GetBlueprintAsync(caller.Tenant, id, cancellationToken))
            ?? throw ResourceIds.NotFound("Blueprint", id);
        return TypedResults.Json(ListResponse.Project(await RenderAsync(store, blueprint, owned: true, cancellationToken), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> UploadAsync(
        string id,
        Caller caller,
        HttpRequest request,
        BlueprintUploadService uploads,
        UploadSource source,
        IStratusStore store,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        var blueprint = await RunUploadAsync(id, caller, request, uploads, source, options, validateOnly: false, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, blueprint, owned: true, CancellationToken.None), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<JsonHttpResult<JsonObject>> UpdateAsync(
        string id,
        Caller caller,
        HttpRequest request,
        IStratusStore store,
        ManagerOptions options,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var blueprint = await BlueprintLabelUpdate.ApplyAsync(caller, id, body, store, timeProvider, cancellationToken);
        return TypedResults.Json(await RenderAsync(store, blueprint, owned: true, cancellationToken));
    }

    /// <summary>A blueprint with its latest <c>upload_blueprint</c> execution (what <c>cfy blueprints upload</c> waits on).</summary>
    /// <param name="owned">The caller drops <paramref name="blueprint"/> after rendering, so its plan may move into the response.</param>
    private static async Task<JsonObject> RenderAsync(IStratusStore store, Blueprint blueprint, bool owned, CancellationToken cancellationToken)
    {
        var query = new ListQuery
        {
            Filters = new Dictionary<string, IReadOnlyList<string>>
            {
                ["blueprint_id"] = [blueprint.Id],
                ["workflow_id"] = [BlueprintUploadService.UploadWorkflow],
            },
            Sort = [new SortKey("created_at", Descending: true)],
            Size = 1,
        };
        var uploads = (await store.ListExecutionsAsync(blueprint.TenantName, query, cancellationToken)).Items;
        var upload = uploads.Count > 0 ? uploads[0] : null;
        var execution = upload is null ? null : Executions.ExecutionRenderer.Render(upload, null);
        return owned ? BlueprintRenderer.RenderOwned(blueprint, execution) : BlueprintRenderer.Render(blueprint, execution);
    }

    private static async Task<NoContent> ValidateAsync(
        string id,
        Caller caller,
        HttpRequest request,
        BlueprintUploadService uploads,
        UploadSource source,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        await RunUploadAsync(id, caller, request, uploads, source, options, validateOnly: true, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Blueprint> RunUploadAsync(
        string id,
        Caller caller,
        HttpRequest request,
        BlueprintUploadService uploads,
        UploadSource source,
        ManagerOptions options,
        bool validateOnly,
        CancellationToken cancellationToken)
    {
        ResourceIds.Validate("blueprint_id", id);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxArchiveBytes + (1024 * 1024);
        }

        if (request.HasFormContentType)
        {
            var form = await ReadFormAsync(request, options, cancellationToken);
            var paramsText = form["params"].FirstOrDefault();
            if (paramsText is null && form.Files.GetFile("params") is { } paramsFile)
            {
                using var reader = new StreamReader(paramsFile.OpenReadStream());
                paramsText = await reader.ReadToEndAsync(cancellationToken);
            }

            var args = ParseParams(paramsText);
            var file = form.Files.GetFile("blueprint_archive");
            var url = Wire.GetString(args, UrlArgument);
            if (file is null && string.IsNullOrEmpty(url))
            {
                throw new StratusException(ErrorCodes.UploadMissingFile, 400, "Missing the blueprint_archive file part");
            }

            var upload = ToRequest(id, args, caller, validateOnly);
            await using var stream = await source.OpenAsync(
                url, file?.OpenReadStream() ?? Stream.Null, file is not null, UrlArgument, "blueprint", options.MaxArchiveBytes, cancellationToken);
            return await uploads.UploadAsync(caller, upload, stream, options.MaxArchiveBytes, cancellationToken);
        }

        var queryArgs = new JsonObject();
        foreach (var (key, value) in request.Query)
        {
            queryArgs[key] = value.LastOrDefault();
        }

        var rawUpload = ToRequest(id, queryArgs, caller, validateOnly);
        var bodyGiven = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        await using var raw = await source.OpenAsync(
            Wire.GetString(queryArgs, UrlArgument), request.Body, bodyGiven, UrlArgument, "blueprint", options.MaxArchiveBytes, cancellationToken);
        return await uploads.UploadAsync(caller, rawUpload, raw, options.MaxArchiveBytes, cancellationToken);
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpRequest request, ManagerOptions options, CancellationToken cancellationToken)
    {
        var formOptions = new FormOptions
        {
            MultipartBodyLengthLimit = options.MaxArchiveBytes + (1024 * 1024),
            ValueLengthLimit = (int)Math.Min(options.MaxJsonBodyBytes, int.MaxValue),
        };
        try
        {
            return await request.ReadFormAsync(formOptions, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or (IOException and not BadHttpRequestException) && !cancellationToken.IsCancellationRequested)
        {
            // A malformed or truncated multipart body is the client's fault (Kestrel's own 413 passes through).
            throw StratusException.BadParameters("The multipart request body could not be read: " + e.Message);
        }
    }

    private static JsonObject ParseParams(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw StratusException.BadParameters("params must be a JSON object");
        }
        catch (JsonException e)
        {
            throw StratusException.BadParameters("params is not valid JSON: " + e.Message);
        }
    }

    private static BlueprintUploadRequest ToRequest(string id, JsonObject args, Caller caller, bool validateOnly)
    {
        var fileName = WebUtility.UrlDecode(Wire.GetString(args, "application_file_name") ?? "blueprint.yaml");
        var visibility = UploadSource.Visibility(Wire.GetString(args, "visibility"), caller);
        return new BlueprintUploadRequest(id, fileName, visibility, validateOnly, UploadLabels(args["labels"]));
    }

    /// <summary>The upload's <c>labels</c>: <c>[{key, value}]</c> as cloudify_rest_client sends them, each checked as Cloudify does.</summary>
    private static List<(string Key, string Value)> UploadLabels(JsonNode? raw)
    {
        if (raw is null)
        {
            return [];
        }

        if (raw is not JsonArray list || list.Count > 10_000)
        {
            throw Labels.LabelRules.BadLabelsList();
        }

        var labels = new List<(string Key, string Value)>();
        foreach (var item in list)
        {
            if (item is not JsonObject label || label["key"] is not JsonValue key || key.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                throw Labels.LabelRules.BadLabelsList();
            }

            labels.Add(Labels.LabelRules.Parse(key.GetValue<string>(), label["value"]));
        }

        Labels.LabelRules.RequireUnique(labels);
        return labels;
    }

    private static async Task<NoContent> DeleteAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ResourceLayout layout, CancellationToken cancellationToken)
    {
        _ = caller.Visible(await store.GetBlueprintAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Blueprint", id);
        if (!Wire.ParseBool("force", request.Query["force"].LastOrDefault(), false))
        {
            await RefuseWhileImportedAsync(id, caller, store, cancellationToken);
        }

        var query = new ListQuery
        {
            Filters = new Dictionary<string, IReadOnlyList<string>> { ["blueprint_id"] = [id] },
            GetAll = true,
            Sort = [new SortKey("id", false)],
        };
        var deployments = await store.ListDeploymentsAsync(caller.Tenant, query, cancellationToken);
        if (deployments.Items.Count > 0)
        {
            throw StratusException.DependentExists(
                $"Can't delete blueprint {id} - There exist deployments for this blueprint; Deployments ids: {string.Join(',', deployments.Items.Select(d => d.Id))}");
        }

        if (!await store.DeleteBlueprintAsync(caller.Tenant, id, cancellationToken))
        {
            throw ResourceIds.NotFound("Blueprint", id);
        }

        BlueprintUploadService.TryDelete(layout.Blueprint(caller.Tenant, id));
        BlueprintUploadService.TryDelete(layout.UploadedBlueprint(caller.Tenant, id));
        return TypedResults.NoContent();
    }

    /// <summary>Cloudify keeps a blueprint that another one imports (<c>blueprint:</c>) unless the delete is forced.</summary>
    private static async Task RefuseWhileImportedAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken)
    {
        var all = await store.ListBlueprintsAsync(caller.Tenant, new ListQuery { GetAll = true, Sort = [new SortKey("id", false)] }, cancellationToken);
        if (all.Items.Any(b => b.Plan?["imported_blueprints"] is JsonArray imported && imported.Any(i => i?.GetValue<string>() == id)))
        {
            throw new StratusException(
                ErrorCodes.BlueprintInUse, 405, $"Blueprint {id} is currently in use. You can \"force\" blueprint removal.");
        }
    }

    private static async Task<PhysicalFileHttpResult> DownloadAsync(string id, Caller caller, IStratusStore store, ResourceCache cache, CancellationToken cancellationToken)
    {
        _ = caller.Visible(await store.GetBlueprintAsync(caller.Tenant, id, cancellationToken)) ?? throw ResourceIds.NotFound("Blueprint", id);
        var folder = await cache.EnsureTreeAsync(ResourceOwner.UploadedBlueprint(caller.Tenant, id), cancellationToken);
        var archive = folder is not null && Directory.Exists(folder) ? Directory.GetFiles(folder).FirstOrDefault() : null;
        if (archive is null)
        {
            throw StratusException.NotFound($"The archive of blueprint `{id}` was not found");
        }

        return TypedResults.PhysicalFile(archive, "application/octet-stream", Path.GetFileName(archive));
    }
}
