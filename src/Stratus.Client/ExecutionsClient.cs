using System.Text.Json.Nodes;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary><c>/executions</c>: start a workflow, get, list, cancel.</summary>
public sealed class ExecutionsClient
{
    private readonly RestTransport _transport;

    internal ExecutionsClient(RestTransport transport) => _transport = transport;

    public Task<ListResponse<Execution>> ListAsync(
        string? deploymentId = null,
        bool includeSystemWorkflows = false,
        ListOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder().Add("_include_system_workflows", includeSystemWorkflows ? "true" : "false");
        (options ?? new ListOptions()).WithFilter("deployment_id", deploymentId).AppendTo(query);
        return _transport.SendAsync<ListResponse<Execution>>(HttpMethod.Get, _transport.Url("/executions", query), null, cancellationToken);
    }

    public Task<Execution> GetAsync(string executionId, CancellationToken cancellationToken = default) =>
        _transport.SendAsync<Execution>(HttpMethod.Get, _transport.Url($"/executions/{Esc(executionId)}"), null, cancellationToken);

    /// <summary>Starts <paramref name="workflowId"/> on a deployment; the manager answers 201 with a pending execution.</summary>
    public Task<Execution> StartAsync(
        string deploymentId,
        string workflowId,
        JsonObject? parameters = null,
        ExecutionStartOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var start = options ?? new ExecutionStartOptions();
        var body = new JsonObject
        {
            ["deployment_id"] = deploymentId,
            ["workflow_id"] = workflowId,
            ["parameters"] = parameters?.DeepClone() ?? new JsonObject(),
            ["allow_custom_parameters"] = start.AllowCustomParameters ? "true" : "false",
            ["force"] = start.Force,
            ["dry_run"] = start.DryRun,
            ["queue"] = start.Queue,
        };
        return _transport.SendAsync<Execution>(HttpMethod.Post, _transport.Url("/executions"), JsonBody.From(body), cancellationToken);
    }

    /// <summary>Asks for <c>cancel</c> (or <c>force-cancel</c>); returns the execution in its cancelling state.</summary>
    public Task<Execution> CancelAsync(string executionId, bool force = false, CancellationToken cancellationToken = default) =>
        ActAsync(executionId, force ? "force-cancel" : "cancel", cancellationToken);

    /// <summary>Asks for <c>kill</c>: cancel and stop the running operation processes.</summary>
    public Task<Execution> KillAsync(string executionId, CancellationToken cancellationToken = default) =>
        ActAsync(executionId, "kill", cancellationToken);

    /// <summary>Asks for <c>resume</c> (or <c>force-resume</c>) of a failed or cancelled execution; returns it pending.</summary>
    public Task<Execution> ResumeAsync(string executionId, bool force = false, CancellationToken cancellationToken = default) =>
        ActAsync(executionId, force ? "force-resume" : "resume", cancellationToken);

    private Task<Execution> ActAsync(string executionId, string action, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["action"] = action };
        return _transport.SendAsync<Execution>(
            HttpMethod.Post, _transport.Url($"/executions/{Esc(executionId)}"), JsonBody.From(body), cancellationToken);
    }

    private static string Esc(string id) => Uri.EscapeDataString(id);
}
