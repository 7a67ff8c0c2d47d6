using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Http;
using Stratus.Storage;

namespace Stratus.Server.Groups;

/// <summary>
/// <c>/deployment-groups</c>: list, get, create-or-update (PUT), add/remove members (PATCH) and delete, as Cloudify's
/// DeploymentGroups resources. Creating deployments from a group (<c>new_deployments</c>), filters and group labels are
/// not supported yet and are refused by name.
/// </summary>
internal static class DeploymentGroupEndpoints
{
    private static readonly string[] Unsupported = ["new_deployments", "filter_id", "filter_rules", "created_by", "created_at", "creation_counter"];

    public static RouteGroupBuilder MapDeploymentGroups(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/deployment-groups");
        group.MapGet("", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", PutAsync);
        group.MapPatch("/{id}", PatchAsync);
        group.MapDelete("/{id}", DeleteAsync);
        return api;
    }

    private static async Task<JsonHttpResult<JsonObject>> ListAsync(Caller caller, HttpRequest request, IStratusStore store, CancellationToken cancellationToken)
    {
        var list = ListQueryParser.Parse(request.Query, DeploymentGroupRenderer.Fields);
        var page = await store.ListDeploymentGroupsAsync(caller.Tenant, await ListScope.ForAsync(caller, list, "deployment_group_list", store, cancellationToken), cancellationToken);
        return TypedResults.Json(ListResponse.Create(page, DeploymentGroupRenderer.Render, list.Include));
    }

    private static async Task<JsonHttpResult<JsonObject>> GetAsync(string id, Caller caller, IStratusStore store, CancellationToken cancellationToken) =>
        TypedResults.Json(DeploymentGroupRenderer.Render(await VisibleAsync(store, caller, id, cancellationToken)));

    private static async Task<JsonHttpResult<JsonObject>> PutAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        RefuseUnsupported(body, "");
        if (await store.GetDeploymentGroupAsync(caller.Tenant, id, cancellationToken) is { } existing && !caller.CanSee(existing.Visibility, existing.CreatedBy))
        {
            throw ResourceIds.AlreadyExists("DeploymentGroup", id, caller.Tenant);
        }

        var visibility = BodyParams.OptionalString(body, "visibility");
        if (visibility is not null && !Visibility.All.Contains(visibility))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid visibility's values are: {Wire.PyList(Visibility.All)}");
        }

        if (visibility == Visibility.Global && !caller.IsSysAdmin)
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set or create a global resource");
        }

        var blueprintId = BodyParams.OptionalString(body, "blueprint_id");
        if (!string.IsNullOrEmpty(blueprintId) && caller.Visible(await store.GetBlueprintAsync(caller.Tenant, blueprintId, cancellationToken)) is null)
        {
            throw ResourceIds.NotFound("Blueprint", blueprintId);
        }

        var members = await MembersAsync(caller, store, body, cancellationToken);
        var group = await store.WriteDeploymentGroupAsync(
            new DeploymentGroupWrite
            {
                TenantName = caller.Tenant,
                Id = id,
                CreateIfMissing = true,
                CreatedBy = caller.Username,
                CreatedAt = timeProvider.GetUtcNow(),
                Visibility = visibility,
                Description = BodyParams.OptionalString(body, "description"),
                DefaultBlueprintId = string.IsNullOrEmpty(blueprintId) ? null : blueprintId,
                DefaultInputs = (JsonObject?)Wire.Clone(BodyParams.Optional(body, "default_inputs", "dict")),
                ReplaceMembers = members is not null,
                AddDeploymentIds = members ?? [],
            },
            cancellationToken);
        return TypedResults.Json(DeploymentGroupRenderer.Render(group));
    }

    private static async Task<JsonHttpResult<JsonObject>> PatchAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, ManagerOptions options, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken);
        var add = BodyParams.Optional(body, "add", "dict") as JsonObject;
        var remove = BodyParams.Optional(body, "remove", "dict") as JsonObject;
        RefuseUnsupported(add ?? [], "add.");
        RefuseUnsupported(remove ?? [], "remove.");
        await VisibleAsync(store, caller, id, cancellationToken);
        var added = add is null ? null : await MembersAsync(caller, store, add, cancellationToken);
        var removed = remove is null ? null : await MembersAsync(caller, store, remove, cancellationToken);
        var group = await store.WriteDeploymentGroupAsync(
            new DeploymentGroupWrite
            {
                TenantName = caller.Tenant,
                Id = id,
                CreatedBy = caller.Username,
                CreatedAt = timeProvider.GetUtcNow(),
                AddDeploymentIds = added ?? [],
                RemoveDeploymentIds = removed ?? [],
            },
            cancellationToken);
        return TypedResults.Json(DeploymentGroupRenderer.Render(group));
    }

    private static async Task<NoContent> DeleteAsync(
        string id, Caller caller, HttpRequest request, IStratusStore store, DeploymentService deployments, CancellationToken cancellationToken)
    {
        var deleteDeployments = Wire.ParseBool("delete_deployments", request.Query["delete_deployments"].LastOrDefault(), false);
        var force = Wire.ParseBool("force", request.Query["force"].LastOrDefault(), false);
        var group = await VisibleAsync(store, caller, id, cancellationToken);
        if (deleteDeployments)
        {
            // Every member is checked before anything is deleted, as Cloudify checks them all in one transaction.
            foreach (var deploymentId in group.DeploymentIds)
            {
                await deployments.CheckDeleteAsync(caller, deploymentId, force, cancellationToken);
            }
        }

        if (!deleteDeployments)
        {
            return await store.DeleteDeploymentGroupAsync(caller.Tenant, id, cancellationToken) ? TypedResults.NoContent() : throw ResourceIds.NotFound("DeploymentGroup", id);
        }

        // One transaction: the store checks every member again under its locks and deletes all or none.
        var deleted = await store.DeleteDeploymentGroupAndMembersAsync(caller.Tenant, id, force, cancellationToken)
            ?? throw ResourceIds.NotFound("DeploymentGroup", id);
        foreach (var deploymentId in deleted)
        {
            deployments.DeleteFiles(caller.Tenant, deploymentId);
        }

        return TypedResults.NoContent();
    }

    private static async Task<DeploymentGroup> VisibleAsync(IStratusStore store, Caller caller, string id, CancellationToken cancellationToken)
    {
        var group = await store.GetDeploymentGroupAsync(caller.Tenant, id, cancellationToken);
        return group is not null && caller.CanSee(group.Visibility, group.CreatedBy) ? group : throw ResourceIds.NotFound("DeploymentGroup", id);
    }

    /// <summary>
    /// The deployments a body names (<c>deployment_ids</c> plus the members of <c>deployments_from_group</c>), each one
    /// visible to the caller; null when it names none of them.
    /// </summary>
    private static async Task<List<string>?> MembersAsync(Caller caller, IStratusStore store, JsonObject body, CancellationToken cancellationToken)
    {
        var idsNode = BodyParams.Optional(body, "deployment_ids", "list");
        var fromGroup = BodyParams.OptionalString(body, "deployments_from_group");
        if (idsNode is null && string.IsNullOrEmpty(fromGroup))
        {
            return null;
        }

        var ids = new List<string>();
        foreach (var item in idsNode?.AsArray() ?? [])
        {
            ids.Add(item is JsonValue v && v.TryGetValue<string>(out var s)
                ? s
                : throw StratusException.BadParameters($"deployment_ids items are expected to be of type str but one is of type {BodyParams.TypeName(item)}"));
        }

        if (!string.IsNullOrEmpty(fromGroup))
        {
            ids.AddRange((await VisibleAsync(store, caller, fromGroup, cancellationToken)).DeploymentIds);
        }

        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count > 0)
        {
            var found = await store.ListDeploymentsAsync(
                caller.Tenant, DeploymentReads.In("id", distinct) with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken);
            var visible = found.Items.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            if (distinct.FirstOrDefault(i => !visible.Contains(i)) is { } missing)
            {
                throw ResourceIds.NotFound("Deployment", missing);
            }
        }

        return distinct;
    }

    private static void RefuseUnsupported(JsonObject body, string prefix)
    {
        // Cloudify's client sends every field, null when unused.
        if (Unsupported.FirstOrDefault(field => body[field] is not null) is { } name)
        {
            throw StratusException.BadParameters($"`{prefix}{name}` is not supported by this manager yet");
        }

        if (BodyParams.Optional(body, "labels", "list") is JsonArray { Count: > 0 })
        {
            throw StratusException.BadParameters($"`{prefix}labels` is not supported by this manager yet: deployment groups have no labels here");
        }
    }
}
