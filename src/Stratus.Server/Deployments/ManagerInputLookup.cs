using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Dsl;
using Stratus.Storage;

namespace Stratus.Server.Deployments;

/// <summary>
/// The manager's objects for object-typed inputs and workflow parameters, read in the caller's tenant. At deployment
/// creation (what create_deployment_environment asks through GetValuesWithRest) node-level types default to the
/// deployments of the blueprint being deployed; for execution parameters (GetValuesWithStorageManager) to the
/// execution's deployment. Stratus keeps no labels or saved filters yet: a <c>labels</c> constraint matches nothing
/// and a <c>filter_id</c> is an unknown filter. A secret_key is a secret the caller may see (key_specs, valid_values).
/// </summary>
internal sealed class ManagerInputLookup(IStratusStore store, IDslService dsl, Caller caller, string blueprintId, string? deploymentId = null)
    : IInputValueLookup
{
    public bool HasBlueprintId => deploymentId is null;

    public bool HasDeploymentId => deploymentId is not null;

    public async ValueTask<IReadOnlyCollection<JsonNode?>> GetAsync(
        string dataType, JsonNode? value, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var wanted = value?.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        var found = dataType switch
        {
            "blueprint_id" => await BlueprintsAsync(wanted, query, cancellationToken),
            "deployment_id" => await DeploymentsAsync(wanted, query, cancellationToken),
            "secret_key" => await SecretsAsync(wanted, query, cancellationToken),
            "capability_value" => await CapabilitiesAsync(value, query, cancellationToken),
            "node_instance" => await InstancesAsync(wanted, query, cancellationToken),
            _ => await NodeValuesAsync(dataType, wanted, query, cancellationToken),
        };
        return found;
    }

    private async Task<List<JsonNode?>> BlueprintsAsync(string? id, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        RejectFilter(query, "BlueprintsFilter");
        var blueprint = id is null ? null : caller.Visible(await store.GetBlueprintAsync(caller.Tenant, id, cancellationToken));
        return blueprint is not null && InTenants(query) && NoLabels(query) && Matches(blueprint.Id, query.GetValueOrDefault("id_specs"))
            ? [blueprint.Id]
            : [];
    }

    private async Task<List<JsonNode?>> DeploymentsAsync(string? id, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        RejectFilter(query, "DeploymentsFilter");
        var deployment = id is null ? null : caller.Visible(await store.GetDeploymentAsync(caller.Tenant, id, cancellationToken));
        return deployment is not null && InTenants(query) && NoLabels(query)
            && Matches(deployment.DisplayName, query.GetValueOrDefault("display_name_specs"))
            ? [deployment.Id]
            : [];
    }

    private async Task<List<JsonNode?>> SecretsAsync(string? key, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        var secret = key is null ? null : await store.GetSecretAsync(caller.Tenant, key, cancellationToken);
        return secret is not null && caller.CanSee(secret.Visibility, secret.CreatedBy)
            && Matches(secret.Key, query.GetValueOrDefault("key_specs")) && IsValid(secret.Key, query)
            ? [secret.Key]
            : [];
    }

    private async Task<List<JsonNode?>> InstancesAsync(string? id, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        var instance = id is null ? null : caller.Visible(await store.GetNodeInstanceAsync(caller.Tenant, id, cancellationToken));
        return instance is not null && instance.DeploymentId == (Text(query.GetValueOrDefault("deployment_id")) ?? deploymentId)
            && Matches(instance.Id, query.GetValueOrDefault("id_specs")) && IsValid(instance.Id, query)
            ? [instance.Id]
            : [];
    }

    /// <summary>node_id, node_type, operation_name and scaling_group: from one deployment, or the deployments of the blueprint.</summary>
    private async Task<List<JsonNode?>> NodeValuesAsync(
        string dataType, string? wanted, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        var scope = (Text(query.GetValueOrDefault("deployment_id")) ?? deploymentId) is { } scopeId
            ? DeploymentReads.In("deployment_id", [scopeId])
            : DeploymentReads.In("blueprint_id", [blueprintId]);
        IEnumerable<string> candidates;
        if (dataType == "scaling_group")
        {
            var deployments = await store.ListDeploymentsAsync(caller.Tenant, RenameScope(scope), cancellationToken);
            candidates = deployments.Items.Where(d => caller.Visible(d) is not null).SelectMany(d => d.ScalingGroups.Select(g => g.Key));
        }
        else
        {
            var nodes = await store.ListNodesAsync(caller.Tenant, scope with { PrivateVisibleTo = caller.PrivateFilter }, cancellationToken);
            candidates = dataType switch
            {
                "node_type" => nodes.Items.Select(n => n.Type),
                "operation_name" => nodes.Items.SelectMany(n => n.Operations.Select(o => o.Key)),
                _ => nodes.Items.Select(n => n.Id),
            };
        }

        var specs = query.GetValueOrDefault(dataType switch
        {
            "node_type" => "type_specs",
            "operation_name" => "operation_name_specs",
            "scaling_group" => "scaling_group_name_specs",
            _ => "id_specs",
        });
        return [.. candidates
            .Distinct(StringComparer.Ordinal)
            .Where(c => (wanted is null || c == wanted) && Matches(c, specs) && IsValid(c, query))
            .Select(c => (JsonNode?)c)];
    }

    /// <summary>Deployments are scoped by their own id, not deployment_id.</summary>
    private static ListQuery RenameScope(ListQuery scope) => scope with
    {
        Filters = scope.Filters.ToDictionary(kv => kv.Key == "deployment_id" ? "id" : kv.Key, kv => kv.Value, StringComparer.Ordinal),
    };

    private async Task<List<JsonNode?>> CapabilitiesAsync(JsonNode? wanted, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken)
    {
        var owner = Text(query.GetValueOrDefault("deployment_id")) ?? deploymentId;
        var deployment = owner is null ? null : caller.Visible(await store.GetDeploymentAsync(caller.Tenant, owner, cancellationToken));
        if (deployment is null || deployment.Capabilities.Count == 0)
        {
            return [];
        }

        var byDeployment = DeploymentReads.In("deployment_id", [deployment.Id]);
        var nodes = await store.ListNodesAsync(caller.Tenant, byDeployment, cancellationToken);
        var instances = await store.ListNodeInstancesAsync(caller.Tenant, byDeployment, cancellationToken);
        var consumers = await DeploymentReads.ConsumerNamesAsync(store, caller.Tenant, [deployment], cancellationToken);
        var context = new DeploymentFunctionContext(deployment, nodes.Items, instances.Items, consumers);
        var values = new List<JsonNode?>();
        foreach (var (key, capability) in deployment.Capabilities)
        {
            var value = dsl.Evaluate(capability?["value"]?.DeepClone(), context);
            var valid = query.GetValueOrDefault("valid_values") is not JsonArray { Count: > 0 } allowed || allowed.Any(a => JsonNode.DeepEquals(a, value));
            if (Matches(key, query.GetValueOrDefault("capability_key_specs")) && valid && (wanted is null || JsonNode.DeepEquals(wanted, value)))
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>Cloudify's name_pattern: every given operator must hold.</summary>
    private static bool Matches(string name, JsonNode? specs)
    {
        foreach (var (op, argument) in specs as JsonObject ?? [])
        {
            var text = argument?.GetValueKind() == JsonValueKind.String ? argument.GetValue<string>() : argument?.ToJsonString() ?? "None";
            var holds = op switch
            {
                "contains" => name.Contains(text, StringComparison.Ordinal),
                "starts_with" => name.StartsWith(text, StringComparison.Ordinal),
                "ends_with" => name.EndsWith(text, StringComparison.Ordinal),
                "equals_to" => name == text,
                _ => throw new DeploymentPlanException("deployment_creation_error", $"Unknown name pattern operator: {op}"),
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValid(string value, IReadOnlyDictionary<string, JsonNode?> query) =>
        query.GetValueOrDefault("valid_values") is not JsonArray { Count: > 0 } allowed
        || allowed.Any(a => a?.GetValueKind() == JsonValueKind.String ? a.GetValue<string>() == value : a?.ToJsonString() == value);

    private bool InTenants(IReadOnlyDictionary<string, JsonNode?> query) =>
        query.GetValueOrDefault("tenants") is not JsonArray { Count: > 0 } tenants || tenants.Any(t => Text(t) == caller.Tenant);

    private static bool NoLabels(IReadOnlyDictionary<string, JsonNode?> query) =>
        query.GetValueOrDefault("labels") is not JsonArray { Count: > 0 };

    private static void RejectFilter(IReadOnlyDictionary<string, JsonNode?> query, string kind)
    {
        if (query.GetValueOrDefault("filter_id") is { } filter)
        {
            throw new DeploymentPlanException("deployment_creation_error", $"Requested `{kind}` with ID `{Text(filter) ?? filter.ToJsonString()}` was not found");
        }
    }

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
