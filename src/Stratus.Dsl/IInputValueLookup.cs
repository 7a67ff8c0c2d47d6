using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Cloudify's <c>values_getter</c>: the manager's view of the objects that object-typed inputs name
/// (<c>blueprint_id</c>, <c>deployment_id</c>, <c>secret_key</c>, <c>node_id</c>, <c>node_type</c>, <c>node_instance</c>,
/// <c>scaling_group</c>, <c>capability_value</c>, <c>operation_name</c>). The parser has no database, so the manager
/// implements this for the caller's tenant.
/// </summary>
public interface IInputValueLookup
{
    /// <summary>True when lookups of node-level types default to the blueprint being deployed (deployment creation).</summary>
    bool HasBlueprintId { get; }

    /// <summary>True when lookups of node-level types default to a current deployment (workflow parameters).</summary>
    bool HasDeploymentId { get; }

    /// <summary>
    /// The values of <paramref name="dataType"/> that match <paramref name="value"/> and every data-based constraint in
    /// <paramref name="query"/>. Query keys are Cloudify's: <c>deployment_id</c>, <c>valid_values</c>, <c>filter_id</c>,
    /// <c>labels</c>, <c>tenants</c> and the name_pattern key of the type (<c>id_specs</c> for blueprints, nodes and
    /// node instances, <c>display_name_specs</c> for deployments, <c>key_specs</c>, <c>type_specs</c>,
    /// <c>capability_key_specs</c>, <c>scaling_group_name_specs</c>, <c>operation_name_specs</c>).
    /// Throws <see cref="DeploymentPlanException"/> when the query cannot be answered (say, an unknown filter).
    /// </summary>
    ValueTask<IReadOnlyCollection<JsonNode?>> GetAsync(
        string dataType, JsonNode? value, IReadOnlyDictionary<string, JsonNode?> query, CancellationToken cancellationToken = default);
}
