using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;

namespace Stratus.Agent.Scripts;

/// <summary>Cloudify's script environment: operation inputs, then <c>process.env</c>, as strings.</summary>
internal static class ScriptEnvironment
{
    /// <summary>Inputs consumed by the script runner itself, never exported.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "script_path", "script_source", "process", "ssl_cert_content", "ctx", Stratus.Contracts.Tasks.TaskContext.KwargName,
    };

    public static IReadOnlyDictionary<string, string> FromInputs(JsonObject kwargs, ProcessSettings process)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in kwargs)
        {
            if (!Reserved.Contains(name))
            {
                result[name] = PythonFormat.EnvironmentValue(value);
            }
        }

        foreach (var (name, value) in process.Env)
        {
            result[name] = PythonFormat.EnvironmentValue(value);
        }

        return result;
    }

    /// <summary>The inputs a Python script reads as <c>ctx_parameters</c>.</summary>
    public static JsonObject Parameters(JsonObject kwargs)
    {
        var result = new JsonObject();
        foreach (var (name, value) in kwargs)
        {
            if (name != Stratus.Contracts.Tasks.TaskContext.KwargName && name != "ctx")
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>A workflow script's parameters: its inputs without what the script runner consumes.</summary>
    public static JsonObject WorkflowParameters(JsonObject kwargs)
    {
        var result = new JsonObject();
        foreach (var (name, value) in kwargs)
        {
            if (!Reserved.Contains(name))
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }
}
