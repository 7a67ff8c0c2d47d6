using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// The deployment plan. <see cref="Nodes"/> are plan node objects (id, type, type_hierarchy, properties, operations,
/// relationships, plugins, plugins_to_install, host_id?, capabilities.scalable.properties...);
/// <see cref="NodeInstances"/> are <c>{id, node_id, host_id?, relationships: [{type, target_name, target_id}], scaling_groups?}</c>
/// in a stable order.
/// </summary>
public sealed record DeploymentPlan
{
    public required JsonObject Inputs { get; init; }

    public required JsonArray Nodes { get; init; }

    public required JsonArray NodeInstances { get; init; }

    public required JsonObject Outputs { get; init; }

    public required JsonObject Capabilities { get; init; }

    public required JsonObject Workflows { get; init; }

    public required JsonObject Groups { get; init; }

    public required JsonObject ScalingGroups { get; init; }

    public required JsonObject Policies { get; init; }

    /// <summary>The full plan object (blueprint plan with inputs applied), as Cloudify stores it.</summary>
    public required JsonObject Plan { get; init; }
}
