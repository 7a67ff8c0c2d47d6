using System.Text.Json.Nodes;
using Stratus.Dsl.Planning;

namespace Stratus.Dsl;

/// <summary>Cloudify's <c>modify_deployment</c> over a deployment's stored nodes, scaling groups and instances.</summary>
public static class DeploymentModifier
{
    /// <summary>
    /// <paramref name="nodes"/> are plan nodes (id, host_id, relationships with type_hierarchy and properties,
    /// <c>capabilities.scalable.properties.current_instances</c>); <paramref name="modifiedNodes"/> maps node or group
    /// names to <c>{instances, removed_ids_include_hint, removed_ids_exclude_hint}</c>. Throws
    /// <see cref="DeploymentPlanException"/> (bad_parameters_error for a bad request).
    /// </summary>
    public static DeploymentModificationPlan Modify(
        JsonArray nodes, JsonObject scalingGroups, IReadOnlyList<JsonObject> previousInstances, JsonObject modifiedNodes, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(scalingGroups);
        ArgumentNullException.ThrowIfNull(previousInstances);
        ArgumentNullException.ThrowIfNull(modifiedNodes);
        return new InstanceExpander(random ?? Random.Shared).Modify(nodes, scalingGroups, previousInstances, modifiedNodes);
    }
}
