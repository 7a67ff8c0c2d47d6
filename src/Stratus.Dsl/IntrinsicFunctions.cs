using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>
/// Runtime evaluation of intrinsic functions (get_attribute, get_property, get_input, concat, ...). Evaluation errors
/// are <see cref="DeploymentPlanException"/> with the manager's error code <c>functions_evaluation_error</c>.
/// </summary>
public static class IntrinsicFunctions
{
    /// <summary>Returns a deep copy of <paramref name="value"/> with every function replaced by its value.</summary>
    public static JsonNode? Evaluate(JsonNode? value, IFunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Run(value, context, new FunctionScope("runtime", context.SelfInstanceId, context.SourceInstanceId, context.TargetInstanceId));
    }

    /// <summary>
    /// Evaluates a value that belongs to node <paramref name="nodeName"/> (its properties, as Cloudify's
    /// <c>evaluate_node_functions</c>): SELF in get_property is that node; get_attribute SELF needs
    /// <see cref="IFunctionContext.SelfInstanceId"/> (the instance context the caller gave, if any).
    /// </summary>
    public static JsonNode? EvaluateForNode(JsonNode? value, string nodeName, IFunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Run(value, context, new FunctionScope($"node '{nodeName}'", nodeName) { SelfIsNode = true });
    }

    /// <summary>
    /// <see cref="Evaluate"/> with <c>get_capability</c> answered from <paramref name="capabilities"/>: an evaluation
    /// notes the capabilities (and, through <see cref="IFunctionContext.LoadPendingAsync"/>, the secrets) it needs, they
    /// are loaded, and it runs again (a name given through another function is known only once that one is evaluated).
    /// </summary>
    public static ValueTask<JsonNode?> EvaluateAsync(
        JsonNode? value, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new FunctionScope("runtime", context.SelfInstanceId, context.SourceInstanceId, context.TargetInstanceId);
        return RunWithCapabilitiesAsync(value, context, scope, capabilities, cancellationToken);
    }

    /// <summary><see cref="EvaluateForNode"/> with <c>get_capability</c> answered from <paramref name="capabilities"/>.</summary>
    public static ValueTask<JsonNode?> EvaluateForNodeAsync(
        JsonNode? value, string nodeName, IFunctionContext context, ICapabilitySource capabilities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new FunctionScope($"node '{nodeName}'", nodeName) { SelfIsNode = true };
        return RunWithCapabilitiesAsync(value, context, scope, capabilities, cancellationToken);
    }

    private static async ValueTask<JsonNode?> RunWithCapabilitiesAsync(
        JsonNode? value, IFunctionContext context, FunctionScope scope, ICapabilitySource capabilities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var withCapabilities = new Functions.CapabilityContext(context);
        for (var round = 0; ; round++)
        {
            var result = Run(value?.DeepClone(), withCapabilities, scope);
            var loaded = await context.LoadPendingAsync(cancellationToken);
            if ((withCapabilities.Pending.Count == 0 && withCapabilities.PendingGroups.Count == 0 && !loaded) || round == 8)
            {
                return result;
            }

            foreach (var group in withCapabilities.PendingGroups.ToList())
            {
                withCapabilities.ProvideGroup(group, await capabilities.GetGroupDeploymentsAsync(group, cancellationToken));
            }

            withCapabilities.PendingGroups.Clear();

            foreach (var (deployment, capability) in withCapabilities.Pending.ToList())
            {
                withCapabilities.Provide(deployment, capability, await capabilities.GetCapabilityAsync(deployment, capability, cancellationToken));
            }

            withCapabilities.Pending.Clear();
        }
    }

    private static JsonNode? Run(JsonNode? value, IFunctionContext context, FunctionScope scope)
    {
        try
        {
            return new FunctionEvaluator(new RuntimeFunctionHost(context)).Evaluate(value, scope);
        }
        catch (FunctionException ex)
        {
            throw new DeploymentPlanException("functions_evaluation_error", ex.Message);
        }
    }

    internal static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "get_input", "get_property", "get_attribute", "get_attributes_list", "get_attributes_dict", "get_secret",
        "concat", "merge", "get_capability", "get_group_capability", "get_environment_capability", "get_label",
        "get_sys", "get_consumers", "string_find", "string_replace", "string_split", "string_lower", "string_upper",
    };

    /// <summary>The function name when <paramref name="value"/> is a function call (one function key, optionally plus <c>type</c>).</summary>
    internal static string? FunctionName(JsonNode? value)
    {
        if (value is not JsonObject obj || obj.Count is 0 or > 2)
        {
            return null;
        }

        string? name = null;
        foreach (var (key, _) in obj)
        {
            if (Names.Contains(key))
            {
                if (name is not null)
                {
                    return null;
                }

                name = key;
            }
            else if (key != "type" || obj.Count == 1)
            {
                return null;
            }
        }

        return name;
    }

    internal static bool IsFunction(JsonNode? value) => FunctionName(value) is not null;

    /// <summary>True when the value contains any intrinsic function.</summary>
    public static bool ContainsFunctions(JsonNode? value)
    {
        return value switch
        {
            JsonObject obj => IsFunction(obj) || obj.Any(kv => ContainsFunctions(kv.Value)),
            JsonArray array => array.Any(ContainsFunctions),
            _ => false,
        };
    }

    /// <summary>True when <paramref name="value"/> holds a <c>get_secret</c> call anywhere (such a value is kept as written, never stored evaluated).</summary>
    public static bool ContainsGetSecret(JsonNode? value)
    {
        return value switch
        {
            JsonObject obj => (obj.Count == 1 && obj.ContainsKey("get_secret")) || obj.Any(kv => ContainsGetSecret(kv.Value)),
            JsonArray array => array.Any(ContainsGetSecret),
            _ => false,
        };
    }
}
