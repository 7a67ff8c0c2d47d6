using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary><c>get_group_capability</c> and the capability path walk it shares with <c>get_capability</c>.</summary>
internal sealed partial class RuntimeFunctionHost
{
    private const string WithIdsPrefix = "deployment_id:";

    /// <summary>Follows <paramref name="steps"/> (keys, list indexes) into a capability value.</summary>
    private static JsonNode? WalkCapability(JsonNode? value, IEnumerable<JsonNode?> steps, string capability, string deploymentId, string function)
    {
        var walked = value;
        foreach (var step in steps)
        {
            walked = FunctionEvaluator.Step(walked, step) is (true, var next)
                ? next
                : throw new FunctionException(
                    function, $"Attribute {Python.Repr(step)} of capability '{capability}' of deployment '{deploymentId}' does not exist");
        }

        return walked?.DeepClone();
    }

    /// <summary>
    /// Cloudify's modes: <c>[group, cap]</c> lists each member's cap; <c>[group, [c1, c2]]</c> lists a [v1, v2] pair per
    /// member; <c>[group, "deployment_id:cap"]</c> answers a dict keyed by deployment id; further items walk into each
    /// value. Members are in deployment id order; a member with none of the capabilities is left out, one with only
    /// some of them gets null for the others.
    /// </summary>
    private bool TryGroupCapability(JsonNode? args, out JsonNode? result)
    {
        const string function = "get_group_capability";
        result = null;
        if (args is not JsonArray { Count: >= 2 } path || path[0]?.GetValueKind() != JsonValueKind.String)
        {
            throw new FunctionException(
                function,
                "`get_group_capability` function argument should be a list with 2 elements at least - "
                + $"[ group ID, capability ID [, key/index[, key/index [...]]] ]. Instead it is: {Python.Repr(args)}");
        }

        var (withIds, capabilities) = CapabilityIds(path[1]);
        if (!context.TryGetGroupDeployments(path[0]!.GetValue<string>(), out var members) || members is null)
        {
            return false;
        }

        var byId = new JsonObject();
        var list = new JsonArray();
        foreach (var member in members.OrderBy(m => m.DeploymentId, StringComparer.Ordinal))
        {
            if (!capabilities.Any(member.Capabilities.ContainsKey))
            {
                continue;
            }

            var values = capabilities
                .Select(c => member.Capabilities[c] is JsonObject definition && definition.TryGetPropertyValue("value", out var raw)
                    ? WalkCapability(raw, path.Skip(2), c, member.DeploymentId, function)
                    : null)
                .ToList();
            JsonNode? entry = values.Count == 1 ? values[0] : new JsonArray([.. values]);
            if (withIds)
            {
                byId[member.DeploymentId] = entry;
            }
            else
            {
                list.Add(entry);
            }
        }

        result = withIds ? byId : list;
        return true;
    }

    private static (bool WithIds, IReadOnlyList<string> Capabilities) CapabilityIds(JsonNode? spec)
    {
        switch (spec)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var id = value.GetValue<string>();
                return id.StartsWith(WithIdsPrefix, StringComparison.Ordinal) ? (true, [id[WithIdsPrefix.Length..]]) : (false, [id]);
            case JsonArray ids when ids.All(i => i?.GetValueKind() == JsonValueKind.String):
                return (false, [.. ids.Select(i => i!.GetValue<string>())]);
            default:
                throw new FunctionException(
                    "get_group_capability", $"The capability of get_group_capability must be a name or a list of names, got {Python.Repr(spec)}");
        }
    }
}
