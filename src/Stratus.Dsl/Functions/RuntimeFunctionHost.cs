using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>Runtime evaluation against the deployment model (<see cref="IFunctionContext"/>).</summary>
internal sealed partial class RuntimeFunctionHost(IFunctionContext context) : IFunctionHost
{
    public bool CanEvaluate(string function) => true;

    public bool TryGetInput(string name, out JsonNode? value) => context.Inputs.TryGetPropertyValue(name, out value);

    public string? NodeNameOf(string reference, FunctionScope scope, string function)
    {
        if (reference == "SELF" && scope.SelfIsNode)
        {
            return scope.Self;
        }

        var instance = reference switch
        {
            "SELF" => context.SelfInstanceId ?? throw new FunctionException(function, "SELF is only valid in a node operation"),
            "SOURCE" => context.SourceInstanceId ?? throw new FunctionException(function, "SOURCE is only valid in a relationship operation"),
            "TARGET" => context.TargetInstanceId ?? throw new FunctionException(function, "TARGET is only valid in a relationship operation"),
            _ => null,
        };
        return instance is null ? reference : context.GetNodeName(instance);
    }

    public JsonObject? GetNodeProperties(string nodeName) => context.GetNode(nodeName)?["properties"] as JsonObject;

    public bool TryRuntime(string function, JsonNode? args, FunctionScope scope, out JsonNode? result)
    {
        result = null;
        switch (function)
        {
            case "get_attribute":
                var (reference, path) = FunctionEvaluator.Split(args, function);
                result = Attribute(ResolveInstance(reference, function), path);
                return true;
            case "get_attributes_list" or "get_attributes_dict":
                var (nodeName, attrs) = FunctionEvaluator.Split(args, function);
                var ids = context.GetNodeInstanceIds(nodeName);
                if (function == "get_attributes_list")
                {
                    result = new JsonArray(ids.Select(id => Attribute(id, attrs)).ToArray());
                }
                else
                {
                    var dict = new JsonObject();
                    foreach (var id in ids)
                    {
                        var values = new JsonObject();
                        foreach (var attr in attrs)
                        {
                            var attrPath = attr is JsonArray nested ? nested.ToList() : [attr];
                            values[Python.Str(attrPath[^1])] = Attribute(id, attrPath);
                        }

                        dict[id] = values;
                    }

                    result = dict;
                }

                return true;
            case "get_secret":
                var (key, secretPath) = FunctionEvaluator.Split(args, function);
                var secret = context.GetSecret(key);
                if (secret is null)
                {
                    return false;
                }

                if (secretPath.Count == 0)
                {
                    result = secret;
                    return true;
                }

                JsonNode? current;
                try
                {
                    current = JsonNode.Parse(secret);
                }
                catch (JsonException)
                {
                    throw new FunctionException(function, $"Secret '{key}' is not a JSON object, so its attributes cannot be read");
                }

                foreach (var step in secretPath)
                {
                    current = FunctionEvaluator.Step(current, step) is (true, var next)
                        ? next
                        : throw new FunctionException(function, $"Secret '{key}' has no attribute {Python.Repr(step)}");
                }

                result = current?.DeepClone();
                return true;
            case "get_capability":
                if (args is not JsonArray { Count: >= 2 } capabilityPath || capabilityPath[0]?.GetValueKind() != JsonValueKind.String
                    || capabilityPath[1]?.GetValueKind() != JsonValueKind.String)
                {
                    return false;
                }

                return TryCapability(function, capabilityPath[0]!.GetValue<string>(), [.. capabilityPath.Skip(1)], out result);
            case "get_environment_capability" when context.Labels is { } environmentLabels:
                List<JsonNode?> environmentPath = args switch
                {
                    JsonValue single when single.GetValueKind() == JsonValueKind.String => [single],
                    JsonArray { Count: >= 2 } list => [.. list],
                    _ => [],
                };
                if (environmentPath.Count == 0 || environmentPath[0]?.GetValueKind() != JsonValueKind.String)
                {
                    return false;
                }

                var parent = LabelValue(environmentLabels, DeploymentLabelSet.ParentKey, 0);
                return TryCapability(function, parent, environmentPath, out result);
            case "get_label" when context.Labels is { } labels:
                if (!TryLabelArguments(args, out var labelKey, out var labelIndex))
                {
                    return false;
                }

                result = labelIndex is { } index
                    ? LabelValue(labels, labelKey, index)
                    : new JsonArray([.. Values(labels, labelKey).Select(v => (JsonNode?)v)]);
                return true;
            case "get_consumers" when context.Labels is { } consumers:
                var consumerProperty = args?.GetValueKind() == JsonValueKind.String ? args.GetValue<string>() : Python.Str(args);
                result = consumerProperty switch
                {
                    "ids" => new JsonArray([.. consumers.ConsumerIds.Select(v => (JsonNode?)v)]),
                    "names" => new JsonArray([.. consumers.ConsumerNames.Select(v => (JsonNode?)v)]),
                    "count" => consumers.ConsumerIds.Count,
                    _ => throw FunctionException.Manager($"get_consumers has no property {consumerProperty}"),
                };
                return true;
            case "get_group_capability":
                return TryGroupCapability(args, out result);
            case "get_sys" when context.System is { } system:
                if (args is not JsonArray { Count: 2 } pair || pair[0]?.GetValueKind() != JsonValueKind.String
                    || pair[1]?.GetValueKind() != JsonValueKind.String)
                {
                    throw new FunctionException(function, $"get_sys needs [entity, property], got {Python.Repr(args)}");
                }

                var (entity, property) = (pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>());
                result = system.Get(entity, property)
                    ?? throw new FunctionException(function, $"Cannot retrieve this entity-property pair: {entity}-{property}");
                return true;
            default:
                _ = scope;
                return false;
        }
    }

    /// <summary>A capability of another deployment, then the keys and indexes of <paramref name="path"/> after its name.</summary>
    private bool TryCapability(string function, string deploymentId, List<JsonNode?> path, out JsonNode? result)
    {
        result = null;
        if (path[0]?.GetValueKind() != JsonValueKind.String
            || !context.TryGetCapability(deploymentId, path[0]!.GetValue<string>(), out var capabilityValue))
        {
            return false;
        }

        result = WalkCapability(capabilityValue, path.Skip(1), path[0]!.GetValue<string>(), deploymentId, function);
        return true;
    }

    /// <summary>get_label's argument: a key, or [key, index] where the index is an int or a string of digits.</summary>
    private static bool TryLabelArguments(JsonNode? args, out string key, out int? index)
    {
        (key, index) = (string.Empty, null);
        if (args?.GetValueKind() == JsonValueKind.String)
        {
            key = args.GetValue<string>();
            return true;
        }

        if (args is not JsonArray { Count: 2 } pair || pair[0]?.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }

        key = pair[0]!.GetValue<string>();
        if (pair[1] is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<int>(out var n))
        {
            index = n;
            return true;
        }

        if (pair[1]?.GetValueKind() == JsonValueKind.String && pair[1]!.GetValue<string>() is { Length: > 0 and < 10 } digits
            && digits.All(char.IsAsciiDigit))
        {
            index = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            return true;
        }

        return false;
    }

    /// <summary>The values of a label key, as Cloudify's manager answers get_label: missing keys are an error.</summary>
    private static IReadOnlyList<string> Values(DeploymentLabelSet labels, string key)
    {
        var values = labels.ValuesOf(key);
        return values.Count > 0
            ? values
            : throw FunctionException.Manager(
                $"The deployment `{labels.DeploymentId}` does not have a label with the key `{key}` assigned to it");
    }

    /// <summary>One value by index (Python's indexing: a negative index counts from the end).</summary>
    private static string LabelValue(DeploymentLabelSet labels, string key, int index)
    {
        var values = Values(labels, key);
        var at = index < 0 ? values.Count + index : index;
        return at >= 0 && at < values.Count
            ? values[at]
            : throw FunctionException.Manager(
                $"The provided label-values list index is out of range. The key `{key}` has {values.Count} values");
    }

    private string ResolveInstance(string reference, string function)
    {
        switch (reference)
        {
            case "SELF":
                return context.SelfInstanceId ?? throw new FunctionException(function, "SELF cannot be used with get_attribute function in this context");
            case "SOURCE":
                return context.SourceInstanceId ?? throw new FunctionException(function, "SOURCE cannot be used with get_attribute function in this context");
            case "TARGET":
                return context.TargetInstanceId ?? throw new FunctionException(function, "TARGET cannot be used with get_attribute function in this context");
        }

        var ids = context.GetNodeInstanceIds(reference);
        if (ids.Count == 0)
        {
            throw new FunctionException(function, $"Node specified in function does not exist: {reference}");
        }

        if (ids.Count == 1)
        {
            return ids[0];
        }

        // Several instances: the one related to the instance the operation runs for (e.g. its own host).
        var current = context.SelfInstanceId ?? context.SourceInstanceId;
        if (current is not null)
        {
            var related = context.GetRelatedInstanceIds(current);
            var candidates = ids.Where(related.Contains).ToList();
            if (candidates.Count == 1)
            {
                return candidates[0];
            }
        }

        throw new FunctionException(
            function, $"More than one node instance found for node \"{reference}\". Cannot resolve a node instance unambiguously.");
    }

    private JsonNode? Attribute(string instanceId, List<JsonNode?> path)
    {
        if (path.Count == 0)
        {
            return null;
        }

        var runtime = context.GetRuntimeProperties(instanceId);
        var head = path[0];
        if (runtime is not null && head?.GetValueKind() == JsonValueKind.String && runtime.ContainsKey(head.GetValue<string>()))
        {
            return Walk(runtime, path);
        }

        if (head?.GetValueKind() == JsonValueKind.String && head.GetValue<string>() == "node_instance_id" && path.Count == 1)
        {
            return instanceId;
        }

        var properties = context.GetNode(context.GetNodeName(instanceId))?["properties"] as JsonObject;
        return properties is null ? null : Walk(properties, path);
    }

    private static JsonNode? Walk(JsonNode? root, IReadOnlyList<JsonNode?> path)
    {
        var current = root;
        foreach (var step in path)
        {
            if (FunctionEvaluator.Step(current, step) is not (true, var next))
            {
                return null;
            }

            current = next;
        }

        return current?.DeepClone();
    }
}
