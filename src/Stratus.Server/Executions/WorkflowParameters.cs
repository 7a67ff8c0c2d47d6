using System.Text.Json.Nodes;
using Stratus.Core.Errors;

namespace Stratus.Server.Executions;

/// <summary>Cloudify's <c>merge_workflow_parameters</c>: declared defaults overlaid with what the caller passed.</summary>
internal static class WorkflowParameters
{
    public static JsonObject Merge(string workflowId, JsonObject? declared, JsonObject given, bool allowCustom)
    {
        declared ??= [];
        var custom = given.Select(p => p.Key).Where(k => !declared.ContainsKey(k)).ToList();
        if (custom.Count > 0 && !allowCustom)
        {
            throw new StratusException(
                ErrorCodes.IllegalExecutionParameters,
                400,
                $"Workflow \"{workflowId}\" does not have the following parameters declared: {string.Join(",", custom)}. " +
                "Remove these parameters or use the flag for allowing custom parameters");
        }

        var missing = declared
            .Where(p => !given.ContainsKey(p.Key) && (p.Value as JsonObject)?.ContainsKey("default") != true)
            .Select(p => p.Key)
            .ToList();
        if (missing.Count > 0)
        {
            throw new StratusException(
                ErrorCodes.IllegalExecutionParameters,
                400,
                $"Workflow \"{workflowId}\" must be provided with the following parameters to execute: {string.Join(",", missing)}");
        }

        var merged = new JsonObject();
        foreach (var (name, definition) in declared)
        {
            merged[name] = given.TryGetPropertyValue(name, out var value) ? value?.DeepClone() : definition?["default"]?.DeepClone();
        }

        foreach (var name in custom)
        {
            merged[name] = given[name]?.DeepClone();
        }

        return merged;
    }
}
