using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Dependencies;

/// <summary>
/// <c>/deployments/inter-deployment-dependencies</c>: list, create one (PUT), create many for one source (POST) and
/// delete one, as Cloudify's InterDeploymentDependencies resource. Sources and targets are deployments of the caller's
/// tenant that the caller may see.
/// </summary>
internal static class DependencyEndpoints
{
    public static RouteGroupBuilder MapDependencies(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployments/inter-deployment-dependencies");
        group.MapGet("", ListAsync);
        group.MapPut("", CreateAsync);
        group.MapPost("", CreateManyAsync);
        group.MapDelete("", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, DependencyRenderer.Fields);
        var page = await store.ListDependenciesAsync(caller.Tenant, list.Query with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, DependencyRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateAsync(
        Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var fields = DependencyBody.Read(body);
        var (source, target) = await ResolveAsync(caller, store, fields, fields.TargetFunc is not null, cancellationToken);
        var dependency = new InterDeploymentDependency
        {
            Id = BodyParams.OptionalString(body, "id") ?? Guid.NewGuid().ToString(),
            TenantName = caller.Tenant,
            CreatedBy = Override(caller, body, "created_by", "set_owner") ?? caller.Username,
            Visibility = Visibility(caller, BodyParams.OptionalString(body, "visibility")),
            CreatedAt = Override(caller, body, "created_at", "set_timestamp") is { } at ? ParseTimestamp(at) : timeProvider.GetUtcNow(),
            DependencyCreator = fields.Creator,
            SourceDeploymentId = fields.ExternalSource is null ? source : null,
            TargetDeploymentId = target,
            TargetDeploymentFunc = fields.TargetFunc,
            ExternalSource = fields.ExternalSource,
            ExternalTarget = fields.ExternalTarget,
        };
        await store.InsertDependenciesAsync(caller.Tenant, [dependency], cancellationToken);
        return TypedResults.Json(DependencyRenderer.Render(dependency));
    }

    private static async Task<JsonHttpResult<JsonObject>> CreateManyAsync(
        Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var sourceId = BodyParams.RequiredString(body, "source_deployment_id");
        var items = BodyParams.Required(body, "inter_deployment_dependencies", "list").AsArray();
        var external = items.Count > 0 && items[0] is JsonObject first && first.ContainsKey("external_source");
        if (!external && caller.Visible(await store.GetDeploymentAsync(caller.Tenant, sourceId, cancellationToken)) is null)
        {
            throw ResourceIds.NotFound("Deployment", sourceId);
        }

        var now = timeProvider.GetUtcNow();
        var dependencies = new List<InterDeploymentDependency>();
        foreach (var item in items)
        {
            var entry = item as JsonObject
                ?? throw StratusException.BadParameters($"inter_deployment_dependencies items are expected to be of type dict but one is of type {BodyParams.TypeName(item)}");
            var creator = BodyParams.RequiredString(entry, "dependency_creator");
            var externalSource = BodyParams.Optional(entry, "external_source", "dict") as JsonObject;
            var externalTarget = BodyParams.Optional(entry, "external_target", "dict") as JsonObject;
            var targetId = BodyParams.OptionalString(entry, "target_deployment");
            string? target = null;
            if (targetId is not null && externalSource is null && externalTarget is null)
            {
                // Cloudify looks the target up silently here: an unknown one leaves the dependency without a target.
                target = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, targetId, cancellationToken))?.Id;
            }

            dependencies.Add(new InterDeploymentDependency
            {
                Id = BodyParams.OptionalString(entry, "id") ?? Guid.NewGuid().ToString(),
                TenantName = caller.Tenant,
                CreatedBy = Override(caller, entry, "created_by", "set_owner") ?? caller.Username,
                CreatedAt = Override(caller, entry, "created_at", "set_timestamp") is { } at ? ParseTimestamp(at) : now,
                DependencyCreator = creator,
                SourceDeploymentId = external ? null : sourceId,
                TargetDeploymentId = target,
                TargetDeploymentFunc = Wire.Clone(entry["target_deployment_func"]),
                ExternalSource = externalSource,
                ExternalTarget = externalTarget,
            });
        }

        await store.InsertDependenciesAsync(caller.Tenant, dependencies, cancellationToken);
        var ids = new JsonArray([.. dependencies.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id })]);
        return TypedResults.Json(new JsonObject
        {
            ["items"] = ids,
            ["metadata"] = new JsonObject
            {
                ["pagination"] = new JsonObject { ["total"] = dependencies.Count, ["size"] = dependencies.Count, ["offset"] = 0 },
            },
        });
    }

    private static async Task<NoContent> DeleteAsync(
        Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var fields = DependencyBody.Read(body);
        var componentDeletion = Wire.ParseBool("is_component_deletion", body["is_component_deletion"], false);
        var (source, target) = await ResolveAsync(caller, store, fields, componentDeletion, cancellationToken);
        var deleted = await store.DeleteDependenciesAsync(
            caller.Tenant, fields.Creator, fields.ExternalSource is null ? source : null, target, cancellationToken);
        var filters = $"'dependency_creator': '{fields.Creator}', 'source_deployment': '{source}'"
            + (target is null ? "" : $", 'target_deployment': '{target}'");
        if (deleted == 0)
        {
            throw StratusException.NotFound($"Requested `InterDeploymentDependencies` was not found (filters: {{{filters}}})");
        }

        if (deleted > 1)
        {
            throw new StratusException(
                "ambiguous_name", StatusCodes.Status409Conflict, $"Requested `InterDeploymentDependencies` returned multiple results (filters: {{{filters}}})");
        }

        return TypedResults.NoContent();
    }

    /// <summary>
    /// Cloudify's _verify_and_get_source_and_target_deployments: the source must exist (unless external); a target
    /// that does not exist is an error unless something else names it (a function, an external side, a component
    /// deletion).
    /// </summary>
    private static async Task<(string? Source, string? Target)> ResolveAsync(
        Caller caller, IStratusStore store, DependencyBody fields, bool targetOptional, CancellationToken cancellationToken)
    {
        string? source = null;
        if (fields.ExternalSource is null)
        {
            source = caller.Visible(await store.GetDeploymentAsync(caller.Tenant, fields.Source, cancellationToken))?.Id
                ?? throw StratusException.NotFound($"Given source deployment with ID `{fields.Source}` does not exist.");
        }

        var target = fields.Target is null
            ? null
            : caller.Visible(await store.GetDeploymentAsync(caller.Tenant, fields.Target, cancellationToken))?.Id;
        if (!(targetOptional || fields.ExternalSource is not null || fields.ExternalTarget is not null || target is not null))
        {
            throw StratusException.NotFound(
                $"Given target deployment with ID `{fields.Target ?? "None"}` does not exist.  Also the target deployment function has not been provided");
        }

        return (source, target);
    }

    private static string Visibility(Caller caller, string? requested)
    {
        if (requested is null)
        {
            return Core.Model.Visibility.Tenant;
        }

        string[] allowed = [Core.Model.Visibility.Tenant, Core.Model.Visibility.Global];
        if (!allowed.Contains(requested))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{requested}`. Valid visibility's values are: {Wire.PyList(allowed)}");
        }

        return requested == Core.Model.Visibility.Global && !caller.IsSysAdmin
            ? throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action resource_set_visibility")
            : requested;
    }

    /// <summary>A restore-only field (owner, timestamp): administrators only, as Cloudify's check_user_action_allowed.</summary>
    private static string? Override(Caller caller, JsonObject body, string name, string action)
    {
        var value = BodyParams.OptionalString(body, name);
        return value is not null && !caller.IsSysAdmin
            ? throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to perform the action {action}")
            : value;
    }

    private static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw StratusException.BadParameters($"Invalid timestamp: {text}");
}
