using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Cloudify's <c>prepare_deployment_plan</c>: validates and applies deployment inputs, evaluates the functions that
/// can be evaluated at deployment time, and expands nodes into node instances.
/// </summary>
public static class DeploymentPlanner
{
    /// <summary>
    /// Throws <see cref="DeploymentPlanException"/> with a REST error code (missing_required_deployment_input_error,
    /// unknown_deployment_input_error, constraint_error, deployment_input_evaluation_error, ...).
    /// </summary>
    public static DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs, PlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blueprintPlan);
        throw new NotImplementedException("Stratus.Dsl: DeploymentPlanner.Prepare is being written.");
    }
}
