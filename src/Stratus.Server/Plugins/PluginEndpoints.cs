using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Blueprints;
using Stratus.Server.Files;
using Stratus.Server.Http;
using Stratus.Server.Uploads;
using Stratus.Storage;

namespace Stratus.Server.Plugins;

/// <summary><c>/plugins</c>: upload, list, get, delete, archive and yaml download, set-visibility (Cloudify's v3.1 plugins API).</summary>
internal static class PluginEndpoints
{
    public static RouteGroupBuilder MapPlugins(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/plugins");
        group.MapGet("", ListAsync);
        group.MapPost("", UploadAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapDelete("/{id}", DeleteAsync);
        group.MapGet("/{id}/archive", ArchiveAsync);
        group.MapGet("/{id}/yaml", YamlAsync);
        group.MapPatch("/{id}/set-visibility", SetVisibilityAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, PluginRenderer.Fields);
        var page = await store.ListPluginsAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "plugin_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, PluginRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var include = ListQueryParser.ParseInclude(request.Query["_include"], PluginRenderer.Fields);
        return TypedResults.Json(ListResponse.Project(PluginRenderer.Render(await FindAsync(id, caller, store, cancellationToken)), include));
    }

    private static async Task<JsonHttpResult<JsonObject>> UploadAsync(
        Caller caller,
        HttpRequest request,
        PluginUploadService uploads,
        UploadSource source,
        IStratusStore store,
        ManagerOptions options,
        CancellationToken cancellationToken)
    {
        RequireWriter(caller, "plugin_upload");
        var upload = await ParseUploadAsync(caller, request.Query, store, cancellationToken);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxPluginBytes + (1024 * 1024);
        }

        var bodyGiven = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        await using var archive = await source.OpenAsync(
            request.Query["plugin_archive_url"].LastOrDefault(), request.Body, bodyGiven, "plugin_archive_url", "plugin", options.MaxPluginBytes, cancellationToken);
        var plugins = await uploads.UploadAsync(caller, upload, archive, cancellationToken);
        if (plugins.Count == 1)
        {
            return TypedResults.Json(PluginRenderer.Render(plugins[0]), statusCode: StatusCodes.Status201Created);
        }

        // A caravan answers with a list, the way Cloudify does (pagination only, no "filtered").
        var page = new Page<Plugin>(plugins, plugins.Count, 0, plugins.Count);
        return TypedResults.Json(ListResponse.Create(page, PluginRenderer.Render, null, withFiltered: false), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<PluginUploadRequest> ParseUploadAsync(Caller caller, IQueryCollection query, IStratusStore store, CancellationToken cancellationToken)
    {
        string? Arg(string name) => query[name].LastOrDefault() is { Length: > 0 } value ? value : null;
        var visibility = Arg("visibility");
        var privateResource = Wire.ParseBool("private_resource", Arg("private_resource"), false);
        if (privateResource && visibility is not null)
        {
            throw StratusException.BadParameters("The `private_resource` and `visibility` parameters cannot be used together");
        }

        visibility = UploadSource.Visibility(privateResource ? Visibility.Private : visibility, caller);

        var id = Arg("id") ?? Guid.NewGuid().ToString();
        ResourceIds.Validate("id", id);
        var createdBy = Arg("created_by");
        if (createdBy is not null)
        {
            if (!caller.IsSysAdmin)
            {
                throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action set_owner");
            }

            if (await store.GetUserAsync(createdBy, cancellationToken) is null)
            {
                throw StratusException.BadParameters($"User {createdBy} does not exist.");
            }
        }

        DateTimeOffset? uploadedAt = null;
        if (Arg("uploaded_at") is { } text)
        {
            uploadedAt = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw StratusException.BadParameters($"uploaded_at must be a timestamp, got {text}");
        }

        return new PluginUploadRequest(id, visibility, Arg("title"), uploadedAt, createdBy);
    }

    private static async Task<NoContent> DeleteAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ResourceLayout layout, ManagerOptions options, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "plugin_delete");
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var force = Wire.ParseBool("force", body["force"], false);
        var plugin = await FindAsync(id, caller, store, cancellationToken);
        RequireOwnTenant(plugin, caller);
        if (!force)
        {
            var users = await PluginUsage.BlueprintsUsingAsync(plugin, caller.Tenant, store, cancellationToken);
            if (users.Count > 0)
            {
                throw new StratusException(
                    ErrorCodes.PluginInUse,
                    405,
                    $"Plugin \"{plugin.Id}\" is currently in use in blueprints: {string.Join(", ", users)}. You can \"force\" plugin removal if needed.");
            }
        }

        if (!await store.DeletePluginAsync(caller.Tenant, id, cancellationToken))
        {
            throw ResourceIds.NotFound("Plugin", id);
        }

        // Checkpoint: the row is gone first, so a crash here leaves only an unreferenced folder, never a row without files.
        BlueprintUploadService.TryDelete(layout.Plugin(id));
        return TypedResults.NoContent();
    }

    private static async Task<PhysicalFileHttpResult> ArchiveAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ResourceCache cache, CancellationToken cancellationToken)
    {
        var plugin = await FindAsync(id, caller, store, cancellationToken);
        var owner = ResourceOwner.Plugin(plugin.TenantName, plugin.Id);
        if (!Wire.ParseBool("full_archive", request.Query["full_archive"].LastOrDefault(), false))
        {
            return Serve(await cache.EnsureFileAsync(owner, plugin.ArchiveName, cancellationToken), plugin.ArchiveName);
        }

        // The full archive is made locally from the stored wagon and yaml files, beside them in the cached folder.
        var folder = await cache.EnsureTreeAsync(owner, cancellationToken);
        var zip = folder is null ? null : Path.Combine(folder, PluginUploadService.FullArchiveName);
        if (zip is not null && !File.Exists(zip))
        {
            PluginUsage.WriteFullArchive(plugin, folder!, zip, cancellationToken);
        }

        return Serve(zip, PluginUploadService.FullArchiveName);
    }

    private static async Task<PhysicalFileHttpResult> YamlAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ResourceCache cache, CancellationToken cancellationToken)
    {
        var plugin = await FindAsync(id, caller, store, cancellationToken);
        var file = PluginYamlFiles.Choose(plugin.YamlFiles, request.Query["dsl_version"].LastOrDefault())
            ?? throw StratusException.NotFound($"Plugin `{id}` has no yaml file");
        return Serve(await cache.EnsureFileAsync(ResourceOwner.Plugin(plugin.TenantName, plugin.Id), file, cancellationToken), file);
    }

    private static PhysicalFileHttpResult Serve(string? path, string name) =>
        path is not null && File.Exists(path)
            ? TypedResults.PhysicalFile(path, "application/octet-stream", name)
            : throw StratusException.NotFound($"The file `{name}` of the plugin was not found");

    private static async Task<JsonHttpResult<JsonObject>> SetVisibilityAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, CancellationToken cancellationToken)
    {
        RequireWriter(caller, "resource_set_visibility");
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var allowed = new[] { Visibility.Tenant, Visibility.Global };
        var visibility = Wire.GetString(body, "visibility") ?? throw StratusException.BadParameters("Missing visibility in json request body");
        if (!allowed.Contains(visibility))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid visibility's values are: {Wire.PyList(allowed)}");
        }

        var plugin = await FindAsync(id, caller, store, cancellationToken);
        RequireOwnTenant(plugin, caller);
        if (Rank(plugin.Visibility) > Rank(visibility))
        {
            throw StratusException.IllegalAction($"Can't set the visibility of `{id}` to {visibility} because it already has wider visibility");
        }

        if (visibility == Visibility.Global && !caller.IsSysAdmin)
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set or create a global resource");
        }

        if (!await store.SetPluginVisibilityAsync(caller.Tenant, id, plugin.Visibility, visibility, cancellationToken))
        {
            throw StratusException.Conflict($"The visibility of plugin `{id}` changed meanwhile; retry");
        }

        return TypedResults.Json(PluginRenderer.Render(plugin with { Visibility = visibility }));
    }

    private static int Rank(string visibility) => Array.IndexOf(Visibility.All.ToArray(), visibility);

    private static async Task<Plugin> FindAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken) =>
        await store.GetPluginAsync(caller.Tenant, id, cancellationToken) is { } plugin && caller.CanSee(plugin.Visibility, plugin.CreatedBy)
            ? plugin
            : throw ResourceIds.NotFound("Plugin", id);

    /// <summary>A global plugin is listed everywhere but changed only from its own tenant.</summary>
    private static void RequireOwnTenant(Plugin plugin, Caller caller)
    {
        if (plugin.TenantName != caller.Tenant)
        {
            throw StratusException.IllegalAction($"Can't modify the global resource `{plugin.Id}` from outside its tenant `{plugin.TenantName}`");
        }
    }

    /// <summary>Plugin writes are for sys_admin, manager and user; viewers are refused by the middleware, operations here.</summary>
    private static void RequireWriter(Caller caller, string action)
    {
        if (!caller.IsSysAdmin && caller.TenantRole == "operations")
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action {action} in the tenant `{caller.Tenant}`");
        }
    }
}
