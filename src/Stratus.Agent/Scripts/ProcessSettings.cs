using System.Text.Json.Nodes;

namespace Stratus.Agent.Scripts;

/// <summary>The script runner's <c>process</c> input: <c>{cwd, env, args, command_prefix, eval_python, ...}</c>.</summary>
internal sealed record ProcessSettings
{
    public string? Cwd { get; init; }

    public JsonObject Env { get; init; } = [];

    public IReadOnlyList<string> Args { get; init; } = [];

    public string? CommandPrefix { get; init; }

    /// <summary>True/false forces or forbids Python; null decides by the <c>.py</c> extension.</summary>
    public bool? EvalPython { get; init; }

    public string CtxProxyType { get; init; } = "auto";

    public bool LogStdout { get; init; } = true;

    public bool LogStderr { get; init; } = true;

    public bool StderrToStdout { get; init; }

    public static ProcessSettings From(JsonNode? process)
    {
        if (process is not JsonObject p)
        {
            return new ProcessSettings();
        }

        return new ProcessSettings
        {
            Cwd = JsonRead.String(p["cwd"]),
            Env = p["env"] as JsonObject is { } env ? env.DeepClone().AsObject() : [],
            Args = p["args"] is JsonArray args ? [.. args.Select(Ctx.PythonFormat.Str)] : [],
            CommandPrefix = JsonRead.String(p["command_prefix"]),
            EvalPython = JsonRead.Bool(p["eval_python"]),
            CtxProxyType = JsonRead.String(p["ctx_proxy_type"]) ?? "auto",
            LogStdout = JsonRead.Bool(p["log_stdout"]) ?? true,
            LogStderr = JsonRead.Bool(p["log_stderr"]) ?? true,
            StderrToStdout = JsonRead.Bool(p["stderr_to_stdout"]) ?? false,
        };
    }
}
