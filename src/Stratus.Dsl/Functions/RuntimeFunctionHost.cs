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

                if (!context.TryGetCapability(capabilityPath[0]!.GetValue<string>(), capabilityPath[1]!.GetValue<string>(), out var capabilityValue))
                {
                    return false;
                }

                result = WalkCapability(
                    capabilityValue, capabilityPath.Skip(2), capabilityPath[1]!.GetValue<string>(), capabilityPath[0]!.GetValue<string>(), function);
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
