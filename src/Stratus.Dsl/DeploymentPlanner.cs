using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Dsl.Planning;

namespace Stratus.Dsl;

/// <summary>
/// Cloudify's <c>prepare_deployment_plan</c>: validates and applies deployment inputs, evaluates the functions that
/// can be evaluated at deployment time, and expands nodes into node instances.
/// </summary>
public static class DeploymentPlanner
{
    /// <summary>
    /// Throws <see cref="DeploymentPlanException"/> with the manager's REST error code: missing_required_deployment_input_error
    /// ("Required inputs [..] were not specified - expected inputs: [..]"), unknown_deployment_input_error, unknown_deployment_secret_error (when
    /// <see cref="PlannerOptions.SecretResolver"/> is set), and deployment_creation_error for type, constraint and function
    /// evaluation failures (message <c>dsl_parser.exceptions.&lt;Kind&gt;: ...</c>, as Cloudify words it).
    /// The blueprint plan is not modified.
    /// </summary>
    public static DeploymentPlan Prepare(JsonObject blueprintPlan, JsonObject? inputs, PlannerOptions? options = null) =>
        // Completes synchronously unless options.ValueLookup really waits (the server calls PrepareAsync).
        PrepareAsync(blueprintPlan, inputs, options).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Prepare"/>
    public static async ValueTask<DeploymentPlan> PrepareAsync(
        JsonObject blueprintPlan, JsonObject? inputs, PlannerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blueprintPlan);
        options ??= new PlannerOptions();
        var plan = (JsonObject)blueprintPlan.DeepClone();
        var definitions = plan["inputs"] as JsonObject ?? [];
        // Round-trip so numbers built in code (int-backed) read like numbers that came over the wire.
        var given = inputs is null ? null : JsonNode.Parse(inputs.ToJsonString()) as JsonObject;
        var dataTypes = (plan["data_types"] as JsonObject ?? [])
            .Where(kv => kv.Value is JsonObject)
            .ToDictionary(kv => kv.Key, kv => kv.Value!.AsObject(), StringComparer.Ordinal);
        var values = await new InputResolver(definitions, dataTypes, options).ResolveAsync(given, cancellationToken);
        var nodes = plan["nodes"] as JsonArray ?? [];
        var byName = nodes.Select(n => n!.AsObject()).ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);
        if (options.RuntimeOnlyEvaluation)
        {
            KeepFunctions(byName.Values);
        }
        else
        {
            EvaluateHybrids(plan, values, byName);
        }

        await RequireSecretsAsync(plan, options, cancellationToken);

        var instances = new InstanceExpander(options.Random ?? Random.Shared, options.MaxNodeInstances).Expand(nodes, plan["scaling_groups"] as JsonObject ?? []);
        plan["inputs"] = values;
        plan["node_instances"] = instances;
        plan["inter_deployment_functions"] = new JsonArray();
        return new DeploymentPlan
        {
            Inputs = values,
            Nodes = nodes,
            NodeInstances = instances,
            Outputs = plan["outputs"] as JsonObject ?? [],
            Capabilities = plan["capabilities"] as JsonObject ?? [],
            Workflows = plan["workflows"] as JsonObject ?? [],
            Groups = plan["groups"] as JsonObject ?? [],
            ScalingGroups = plan["scaling_groups"] as JsonObject ?? [],
            Policies = plan["policies"] as JsonObject ?? [],
            Plan = plan,
        };
    }

    private static void EvaluateHybrids(JsonObject plan, JsonObject values, Dictionary<string, JsonObject> byName)
    {
        var evaluator = new FunctionEvaluator(new DeploymentFunctionHost(values, byName));
        try
        {
            // Like Cloudify, the deployment's inputs keep their functions: get_input hands them on to be evaluated where used.
            foreach (var node in byName.Values)
            {
                EvaluateNode(node, byName, evaluator);
            }

            foreach (var section in new[] { "outputs", "capabilities", "labels", "deployment_settings" })
            {
                if (plan[section] is JsonObject items)
                {
                    foreach (var (name, item) in items.ToList())
                    {
                        items[name] = evaluator.Evaluate(item, new FunctionScope($"{section[..^1]} '{name}'"));
                    }
                }
            }

            if (plan["scaling_groups"] is JsonObject groups)
            {
                foreach (var (name, group) in groups.ToList())
                {
                    groups[name] = evaluator.Evaluate(group, new FunctionScope($"scaling group '{name}'"));
                }
            }
        }
        catch (FunctionException ex)
        {
            throw new DeploymentPlanException("deployment_creation_error", $"dsl_parser.exceptions.{ex.Kind}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// runtime_only_evaluation: every function stays as written; operations whose inputs hold one are flagged for
    /// evaluation when they run. Instance counts must still be numbers, since the instances are created now.
    /// </summary>
    private static void KeepFunctions(IEnumerable<JsonObject> nodes)
    {
        foreach (var node in nodes)
        {
            FlagOperations(node["operations"] as JsonObject);
            foreach (var rel in (node["relationships"] as JsonArray ?? []).OfType<JsonObject>())
            {
                FlagOperations(rel["source_operations"] as JsonObject);
                FlagOperations(rel["target_operations"] as JsonObject);
            }

            if (node["capabilities"]?["scalable"]?["properties"] is JsonObject scalable)
            {
                if (IntrinsicFunctions.ContainsFunctions(scalable))
                {
                    throw new DeploymentPlanException(
                        "deployment_creation_error",
                        $"TypeError: instance counts of node '{node["id"]}' are functions, which runtime_only_evaluation does not evaluate");
                }

                if (scalable["max_instances"]?.GetValueKind() == JsonValueKind.String && scalable["max_instances"]!.GetValue<string>() == "UNBOUNDED")
                {
                    scalable["max_instances"] = -1L;
                }

                scalable["current_instances"] = scalable["default_instances"]?.DeepClone();
                scalable["planned_instances"] = scalable["default_instances"]?.DeepClone();
            }
        }
    }

    private static void FlagOperations(JsonObject? operations)
    {
        foreach (var (_, op) in operations ?? [])
        {
            if (op is JsonObject record && record["inputs"] is JsonObject opInputs && IntrinsicFunctions.ContainsFunctions(opInputs))
            {
                record["has_intrinsic_functions"] = true;
            }
        }
    }

    /// <summary>
    /// Cloudify's <c>_find_secrets</c> + <c>_validate_secrets</c>: after the deployment-time functions are evaluated
    /// (so <c>get_secret: {get_input: name}</c> and inputs holding get_secret count), every secret named literally in
    /// the nodes, outputs, capabilities, policies, scaling groups, labels and deployment settings must exist; the
    /// values themselves are read at runtime.
    /// </summary>
    private static async ValueTask RequireSecretsAsync(JsonObject plan, PlannerOptions options, CancellationToken cancellationToken)
    {
        if (options.SecretResolver is null && options.SecretExists is null)
        {
            return;
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var section in new[] { "nodes", "outputs", "capabilities", "policies", "scaling_groups", "labels", "deployment_settings" })
        {
            names.UnionWith(FunctionScanner.SecretNames(plan[section]));
        }

        var missing = new List<string>();
        foreach (var name in names)
        {
            var exists = options.SecretExists is { } existsAsync
                ? await existsAsync(name, cancellationToken)
                : options.SecretResolver!(name) is not null;
            if (!exists)
            {
                missing.Add(name);
            }
        }

        if (missing.Count > 0)
        {
            throw new DeploymentPlanException(
                "unknown_deployment_secret_error", $"Required secrets: [{string.Join(", ", missing)}] don't exist in this tenant");
        }
    }

    private static void EvaluateNode(JsonObject node, Dictionary<string, JsonObject> byName, FunctionEvaluator evaluator)
    {
        var name = node["id"]!.GetValue<string>();
        var self = new FunctionScope($"node '{name}'", Self: name);
        node["properties"] = evaluator.Evaluate(node["properties"], self);
        EvaluateOperations(node["operations"] as JsonObject, evaluator, self);
        if (node["capabilities"]?["scalable"]?["properties"] is JsonObject scalable)
        {
            foreach (var key in new[] { "default_instances", "min_instances", "max_instances" })
            {
                var value = evaluator.Evaluate(scalable[key], self);
                if (key == "max_instances" && value?.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "UNBOUNDED")
                {
                    value = -1L;
                }

                scalable[key] = value;
            }

            // Like Cloudify, counts that came from functions are not re-checked against each other here.
            scalable["current_instances"] = scalable["default_instances"]?.DeepClone();
            scalable["planned_instances"] = scalable["default_instances"]?.DeepClone();
        }

        foreach (var rel in (node["relationships"] as JsonArray ?? []).Select(r => r!.AsObject()))
        {
            var target = rel["target_id"]!.GetValue<string>();
            var scope = new FunctionScope($"relationship of node '{name}'", Self: name, Source: name, Target: target);
            rel["properties"] = evaluator.Evaluate(rel["properties"], scope);
            EvaluateOperations(rel["source_operations"] as JsonObject, evaluator, scope with { Self = null });
            EvaluateOperations(rel["target_operations"] as JsonObject, evaluator, scope with { Self = null });
        }

        _ = byName;
    }

    private static void EvaluateOperations(JsonObject? operations, FunctionEvaluator evaluator, FunctionScope scope)
    {
        if (operations is null)
        {
            return;
        }

        foreach (var (_, op) in operations)
        {
            if (op is JsonObject record && record["inputs"] is JsonObject opInputs && opInputs.Count > 0)
            {
                // Each input is its own value: an inputs mapping that happens to look like a function is not one.
                var remaining = false;
                foreach (var (key, value) in opInputs.ToList())
                {
                    var evaluated = evaluator.Evaluate(value, scope);
                    opInputs[key] = evaluated;
                    remaining |= IntrinsicFunctions.ContainsFunctions(evaluated);
                }

                record["has_intrinsic_functions"] = remaining;
            }
        }
    }
}
