using System.Text.Json.Nodes;
using Stratus.Server.Labels;

namespace Stratus.Server.Deployments;

/// <summary>
/// The labels a new deployment gets, as Cloudify's create_deployment_environment gathers them: the request's labels
/// and the plan's <c>labels</c> section (keys lower-cased, values already evaluated by the planner), as one set, each
/// label checked by the same rules.
/// </summary>
internal static class DeploymentLabels
{
    public static List<(string Key, string Value)> Merge(IReadOnlyList<(string Key, string Value)> requested, JsonNode? planLabels)
    {
        var labels = new List<(string Key, string Value)>(requested);
        if (planLabels is JsonObject sections)
        {
            foreach (var (name, spec) in sections)
            {
                // A value still holding a function (a runtime one, or any under runtime_only_evaluation) is not a
                // string, which Cloudify refuses as it refuses any malformed label.
                foreach (var value in spec?["values"] as JsonArray ?? [])
                {
                    labels.Add(LabelRules.Parse(name.ToLowerInvariant(), value));
                }
            }
        }

        return [.. labels.Distinct()];
    }
}
