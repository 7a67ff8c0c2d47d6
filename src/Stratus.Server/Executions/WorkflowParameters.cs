using System.Text.Json;
using System.Text.Json.Nodes;
using Deployment = Stratus.Core.Model.Deployment;
using Stratus.Core.Errors;
using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Deployments;
using Stratus.Server.Dsl;
using Stratus.Storage;

namespace Stratus.Server.Executions;

/// <summary>
/// Cloudify's <c>merge_workflow_parameters</c>, in its order: undeclared names, declared defaults, functions in list
/// and dict values evaluated against the deployment, declared types converted, constraints and object types
/// checked (nodes and instances of this deployment, in the caller's tenant), then required names. Unlike Cloudify,
/// a parameter that calls <c>get_secret</c> is stored as written and evaluated by the engine at run time.
/// </summary>
internal static class WorkflowParameters
{
    public static async Task<JsonObject> MergeAsync(
        string workflowId,
        JsonObject? declared,
        JsonObject given,
        bool allowCustom,
        Deployment deployment,
        Caller caller,
        IStratusStore store,
        IDslService dsl,
        SecretCache secrets,
        CancellationToken cancellationToken)
    {
        declared ??= [];
        var custom = given.Select(p => p.Key).Where(k => !declared.ContainsKey(k)).ToList();
        if (custom.Count > 0 && !allowCustom)
        {
            throw Illegal(
                $"Workflow \"{workflowId}\" does not have the following parameters declared: {string.Join(",", custom)}. " +
                "Remove these parameters or use the flag for allowing custom parameters");
        }

        var merged = new JsonObject();
        foreach (var (name, definition) in declared)
        {
            if (given.TryGetPropertyValue(name, out var value))
            {
                merged[name] = value?.DeepClone();
            }
            else if (definition is JsonObject d && d.TryGetPropertyValue("default", out var defaultValue))
            {
                merged[name] = defaultValue?.DeepClone();
            }
        }

        foreach (var name in custom)
        {
            merged[name] = given[name]?.DeepClone();
        }

        // A value with get_secret is checked evaluated but kept as written: the engine reads the secret when the
        // workflow runs, so no secret value is stored in the execution's parameters (or shown by GET /executions).
        var asWritten = merged.Where(p => p.Value is JsonObject or JsonArray && IntrinsicFunctions.ContainsGetSecret(p.Value))
            .ToDictionary(p => p.Key, p => p.Value!.DeepClone(), StringComparer.Ordinal);
        await EvaluateFunctionsAsync(merged, deployment, caller, store, dsl, secrets, cancellationToken);
        Convert(merged, declared);
        await CheckConstraintsAsync(merged, declared, new ManagerInputLookup(store, dsl, caller, deployment.BlueprintId, deployment.Id), cancellationToken);

        var missing = declared
            .Where(p => !merged.ContainsKey(p.Key) && (p.Value as JsonObject)?["required"]?.GetValueKind() != JsonValueKind.False)
            .Select(p => p.Key)
            .ToList();
        if (missing.Count > 0)
        {
            throw Illegal($"Workflow \"{workflowId}\" must be provided with the following parameters to execute: {string.Join(",", missing)}");
        }

        foreach (var (name, written) in asWritten)
        {
            merged[name] = written;
        }

        return merged;
    }

    /// <summary>evaluate_workflow_parameters: only list and dict values are scanned.</summary>
    private static async Task EvaluateFunctionsAsync(
        JsonObject parameters, Deployment deployment, Caller caller, IStratusStore store, IDslService dsl, SecretCache secrets, CancellationToken cancellationToken)
    {
        var structured = parameters.Where(p => p.Value is JsonObject or JsonArray && IntrinsicFunctions.ContainsFunctions(p.Value)).Select(p => p.Key).ToList();
        if (structured.Count == 0)
        {
            return;
        }

        var context = await DeploymentReads.FunctionContextAsync(store, deployment, null, null, null, secrets, cancellationToken);
        foreach (var name in structured)
        {
            parameters[name] = await dsl.EvaluateAsync(parameters[name], context, StoredCapabilities.For(store, caller, secrets), cancellationToken);
        }
    }

    private static void Convert(JsonObject parameters, JsonObject declared)
    {
        var wrong = new List<string>();
        foreach (var (name, definitionNode) in declared)
        {
            if (definitionNode is not JsonObject definition || Text(definition["type"]) is not { } type || !parameters.ContainsKey(name))
            {
                continue;
            }

            var itemType = Text(definition["item_type"]);
            try
            {
                parameters[name] = InputValidation.ConvertParameter(parameters[name], type, itemType);
            }
            catch (FormatException)
            {
                wrong.Add($"Parameter \"{name}\" must be of type {(itemType is null ? type : $"{type} of {itemType}s")}");
            }
        }

        if (wrong.Count > 0)
        {
            throw Illegal(string.Join('\n', wrong));
        }
    }

    private static async Task CheckConstraintsAsync(JsonObject parameters, JsonObject declared, ManagerInputLookup lookup, CancellationToken cancellationToken)
    {
        var violations = new List<string>();
        foreach (var (name, definitionNode) in declared)
        {
            if (definitionNode is not JsonObject definition || !parameters.ContainsKey(name) || !InputValidation.HasChecks(definition))
            {
                continue;
            }

            try
            {
                await InputValidation.ValidateAsync(name, definition, parameters[name], lookup, cancellationToken);
            }
            catch (DeploymentPlanException ex) when (ex.ErrorCode == "constraint_error")
            {
                violations.Add($"Parameter \"{name}\" does not meet its constraints: {ex.Message}");
            }
        }

        if (violations.Count > 0)
        {
            throw Illegal(string.Join('\n', violations));
        }
    }

    private static StratusException Illegal(string message) => new(ErrorCodes.IllegalExecutionParameters, 400, message);

    private static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
