using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>The object model a script reaches through <c>ctx</c> (Cloudify's operation context attributes).</summary>
internal sealed partial class CtxSession
{
    private CtxObject BuildRoot()
    {
        var c = Context;
        var operation = c.Operation;
        var root = new CtxObject("CloudifyContext")
            .Add("type", JsonValue.Create(ContextType))
            .Add("execution_id", JsonValue.Create(c.ExecutionId))
            .Add("workflow_id", JsonValue.Create(c.WorkflowId))
            .Add("task_id", JsonValue.Create(c.TaskId))
            .Add("task_name", JsonValue.Create(c.TaskName))
            .Add("task_target", JsonValue.Create(c.TaskTarget))
            .Add("task_queue", JsonValue.Create(c.TaskQueue))
            .Add("tenant_name", c.Tenant["name"]?.DeepClone())
            .Add("tenant", c.Tenant.DeepClone())
            .Add("timeout", c.Timeout is { } t ? JsonValue.Create(t) : null)
            .Add("rest_host", c.RestHost.Count > 0 ? JsonValue.Create(c.RestHost[0]) : null)
            .Add("rest_port", JsonValue.Create(c.RestPort))
            .Add("workflow_parameters", c.WorkflowParameters?.DeepClone() ?? new JsonObject())
            .Add("local", JsonValue.Create(c.Local))
            .Add("blueprint", new CtxObject("BlueprintContext").Add("id", JsonValue.Create(c.BlueprintId)))
            .Add("deployment", new CtxObject("DeploymentContext")
                .Add("id", JsonValue.Create(c.DeploymentId))
                .Add("display_name", JsonValue.Create(c.DeploymentDisplayName ?? c.DeploymentId))
                .Add("tenant_name", c.Tenant["name"]?.DeepClone()))
            .Add("operation", new CtxObject("OperationContext")
                .Add("name", operation["name"]?.DeepClone())
                .Add("retry_number", operation["retry_number"]?.DeepClone() ?? JsonValue.Create(0))
                .Add("max_retries", operation["max_retries"]?.DeepClone() ?? JsonValue.Create(0))
                .Add("relationship", operation["relationship"]?.DeepClone())
                .Add("retry", RetryOperation(stops: false)))
            .Add("plugin", new CtxObject("PluginContext")
                .Add("name", c.Plugin?["name"]?.DeepClone())
                .Add("package_name", c.Plugin?["package_name"]?.DeepClone())
                .Add("package_version", c.Plugin?["package_version"]?.DeepClone())
                .Add("workdir", JsonValue.Create(WorkDirectory)))
            .Add("logger", Logger())
            .Add("node", _ => NodeInstanceOnly(Instance, n => NodeObject(n)))
            .Add("instance", _ => NodeInstanceOnly(Instance, InstanceObject))
            .Add("source", _ => RelationshipOnly(Source))
            .Add("target", _ => RelationshipOnly(Target))
            .Add("returns", (CtxFunction)Returns)
            .Add("abort_operation", (CtxFunction)AbortOperation)
            .Add("retry_operation", RetryOperation(stops: true))
            .Add("download_resource", (CtxFunction)DownloadResource)
            .Add("download_resource_and_render", (CtxFunction)DownloadResourceAndRender)
            .Add("get_resource", (CtxFunction)GetResource)
            .Add("get_resource_and_render", (CtxFunction)GetResourceAndRender);
        return root;
    }

    private static string? Arg(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, int index, string name)
    {
        var node = index < args.Count ? args[index] : kwargs?[name];
        return node is null ? null : PythonFormat.Str(node);
    }

    private ValueTask<object?> NodeInstanceOnly(InstanceState? state, Func<InstanceState, CtxObject> build) =>
        state is null
            ? throw new CtxException(
                "NonRecoverableError",
                $"ctx.node/ctx.instance can only be used in a {NodeInstanceType} context but used in a {ContextType} context.")
            : ValueTask.FromResult<object?>(build(state));

    private ValueTask<object?> RelationshipOnly(InstanceState? state) =>
        state is null
            ? throw new CtxException(
                "NonRecoverableError",
                $"ctx.source/ctx.target can only be used in a {RelationshipInstanceType} context but used in a {ContextType} context.")
            : ValueTask.FromResult<object?>(new CtxObject("RelationshipSubjectContext")
                .Add("node", NodeObject(state))
                .Add("instance", InstanceObject(state)));

    private static CtxObject NodeObject(InstanceState state) => new CtxObject("NodeContext")
        .Add("id", async ct => (object?)JsonValue.Create(JsonRead.String((await state.GetNodeAsync(ct))["id"]) ?? state.NodeName))
        .Add("name", async ct => (object?)JsonValue.Create(JsonRead.String((await state.GetNodeAsync(ct))["id"]) ?? state.NodeName))
        .Add("type", async ct => (await state.GetNodeAsync(ct))["type"]?.DeepClone())
        .Add("type_hierarchy", async ct => (await state.GetNodeAsync(ct))["type_hierarchy"]?.DeepClone())
        .Add("number_of_instances", async ct => (await state.GetNodeAsync(ct))["number_of_instances"]?.DeepClone())
        .Add("properties", async ct => (object?)new CtxMapping(
            (await state.GetNodeAsync(ct))["properties"] as JsonObject ?? [], onChanged: null, readOnly: true));

    private CtxObject InstanceObject(InstanceState state) => new CtxObject("NodeInstanceContext")
        .Add("id", JsonValue.Create(state.InstanceId))
        .Add("runtime_properties", async ct => (object?)await state.GetRuntimePropertiesAsync(ct))
        .Add("index", async ct => (await state.GetInstanceAsync(ct))["index"]?.DeepClone())
        .Add("host_id", async ct => (await state.GetInstanceAsync(ct))["host_id"]?.DeepClone())
        .Add("scaling_groups", async ct => (await state.GetInstanceAsync(ct))["scaling_groups"]?.DeepClone())
        .Add("host_ip", async ct => (object?)await HostIpAsync(state, ct))
        .Add("update", async (_, _, ct) =>
        {
            await state.FlushAsync(ct);
            return null;
        })
        .Add("refresh", async (args, kwargs, ct) =>
        {
            await state.RefreshAsync(Arg(args, kwargs, 0, "force") is "True" or "true", ct);
            return null;
        });

    private async Task<JsonNode?> HostIpAsync(InstanceState state, CancellationToken cancellationToken)
    {
        var hostId = JsonRead.String((await state.GetInstanceAsync(cancellationToken))["host_id"]);
        if (hostId is null)
        {
            return null;
        }

        var host = hostId == state.InstanceId ? state : new InstanceState(_api, hostId, nodeName: null, Context.DeploymentId);
        var runtime = (await host.GetInstanceAsync(cancellationToken))["runtime_properties"] as JsonObject;
        if (runtime?["ip"] is { } ip)
        {
            return ip.DeepClone();
        }

        return (await host.GetNodeAsync(cancellationToken))["properties"]?["ip"]?.DeepClone();
    }

    private CtxObject Logger()
    {
        var logger = new CtxObject("CloudifyPluginLoggerAdapter");
        foreach (var level in new[] { "debug", "info", "warning", "error", "critical" })
        {
            logger.Add(level, (args, kwargs, _) =>
            {
                _log.Log(level, Arg(args, kwargs, 0, "msg") ?? string.Empty);
                return ValueTask.FromResult<object?>(null);
            });
        }

        return logger.Add("warn", (args, kwargs, _) =>
        {
            _log.Log("warning", Arg(args, kwargs, 0, "msg") ?? string.Empty);
            return ValueTask.FromResult<object?>(null);
        });
    }

    private ValueTask<object?> Returns(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        // Cloudify would read a lone trailing dict as keyword arguments and fail; returning the dict is what was meant.
        var value = args.Count > 0 ? args[0] : kwargs is { } named && named.ContainsKey("value") && named.Count == 1 ? named["value"] : kwargs;
        Outcome.Return(value);
        return ValueTask.FromResult<object?>(null);
    }

    private ValueTask<object?> AbortOperation(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var message = Arg(args, kwargs, 0, "message");
        Outcome.Abort(message);
        return ValueTask.FromResult<object?>(new CtxStop(message ?? "None"));
    }

    private CtxFunction RetryOperation(bool stops) => (args, kwargs, _) =>
    {
        var message = Arg(args, kwargs, 0, "message");
        var after = args.Count > 1 ? args[1] : kwargs?["retry_after"];
        Outcome.Retry(message, JsonRead.Double(after));
        return ValueTask.FromResult<object?>(stops ? new CtxStop(message ?? "None") : null);
    };

    private async ValueTask<object?> DownloadResource(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var path = Arg(args, kwargs, 0, "resource_path") ?? throw new CtxException("TypeError", "download_resource() missing 'resource_path'");
        var bytes = await _api.DownloadBlueprintResourceAsync(path, cancellationToken);
        return JsonValue.Create(await SaveAsync(path, Arg(args, kwargs, 1, "target_path"), bytes, cancellationToken));
    }

    private async ValueTask<object?> GetResource(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var path = Arg(args, kwargs, 0, "resource_path") ?? throw new CtxException("TypeError", "get_resource() missing 'resource_path'");
        var bytes = await _api.DownloadBlueprintResourceAsync(path, cancellationToken);
        return JsonValue.Create(Encoding.UTF8.GetString(bytes));
    }

    private async ValueTask<object?> DownloadResourceAndRender(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var path = Arg(args, kwargs, 0, "resource_path") ?? throw new CtxException("TypeError", "download_resource_and_render() missing 'resource_path'");
        var text = Encoding.UTF8.GetString(await _api.DownloadBlueprintResourceAsync(path, cancellationToken));
        var rendered = await TemplateRenderer.RenderAsync(text, kwargs?["template_variables"] as JsonObject, _root, cancellationToken);
        return JsonValue.Create(await SaveAsync(path, Arg(args, kwargs, 1, "target_path"), Encoding.UTF8.GetBytes(rendered), cancellationToken));
    }

    private async ValueTask<object?> GetResourceAndRender(IReadOnlyList<JsonNode?> args, JsonObject? kwargs, CancellationToken cancellationToken)
    {
        var path = Arg(args, kwargs, 0, "resource_path") ?? throw new CtxException("TypeError", "get_resource_and_render() missing 'resource_path'");
        var text = Encoding.UTF8.GetString(await _api.DownloadBlueprintResourceAsync(path, cancellationToken));
        return JsonValue.Create(await TemplateRenderer.RenderAsync(text, kwargs?["template_variables"] as JsonObject, _root, cancellationToken));
    }

    private async Task<string> SaveAsync(string resourcePath, string? targetPath, byte[] content, CancellationToken cancellationToken)
    {
        var target = string.IsNullOrEmpty(targetPath) || Path.IsPathRooted(targetPath)
            ? targetPath
            : Path.Combine(ScriptDirectory ?? WorkDirectory, targetPath);
        if (string.IsNullOrEmpty(target))
        {
            var folder = Path.Combine(WorkDirectory, "resources", Guid.NewGuid().ToString("N"));
            target = Path.Combine(folder, Path.GetFileName(resourcePath.TrimEnd('/')));
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(target));
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
        }

        await File.WriteAllBytesAsync(target, content, cancellationToken);
        return target;
    }
}
