using System.Text.Json.Nodes;
using Stratus.Agent.Manager;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Ctx;

/// <summary>
/// The ctx of one running operation: what its script reads and changes through the proxy. Requests are served one
/// at a time, so a script's concurrent <c>ctx</c> calls see each other's writes in order.
/// </summary>
internal sealed partial class CtxSession : IDisposable
{
    public const string DeploymentType = "deployment";
    public const string NodeInstanceType = "node-instance";
    public const string RelationshipInstanceType = "relationship-instance";
    public const string WorkflowType = "workflow";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly IManagerApi _api;
    private readonly OperationLog _log;
    private readonly CtxObject _root;

    public CtxSession(
        TaskContext context, IManagerApi api, OperationLog log, string workDirectory, JsonObject? kwargs = null, WorkflowOperations? workflow = null)
    {
        Context = context;
        Kwargs = kwargs ?? [];
        _api = api;
        _log = log;
        WorkDirectory = workDirectory;
        if (context.Related is { } related && JsonRead.String(related["node_id"]) is { } relatedId)
        {
            var self = new InstanceState(api, context.NodeId ?? string.Empty, context.NodeName, context.DeploymentId);
            var other = new InstanceState(api, relatedId, JsonRead.String(related["node_name"]), context.DeploymentId);
            (Source, Target) = JsonRead.Bool(related["is_target"]) == true ? (self, other) : (other, self);
            ContextType = RelationshipInstanceType;
        }
        else if (!string.IsNullOrEmpty(context.NodeId))
        {
            Instance = new InstanceState(api, context.NodeId, context.NodeName, context.DeploymentId);
            ContextType = NodeInstanceType;
        }
        else
        {
            ContextType = workflow is null ? DeploymentType : WorkflowType;
        }

        _root = workflow is null ? BuildRoot() : BuildWorkflowRoot(workflow);
    }

    public TaskContext Context { get; }

    /// <summary>The task's inputs (a workflow script's are its workflow parameters).</summary>
    public JsonObject Kwargs { get; }

    public string WorkDirectory { get; }

    /// <summary>The script's working directory: relative target paths of downloads resolve against it.</summary>
    public string? ScriptDirectory { get; set; }

    public string ContextType { get; }

    public ScriptOutcome Outcome { get; } = new();

    public InstanceState? Instance { get; }

    public InstanceState? Source { get; }

    public InstanceState? Target { get; }

    public OperationLog Log => _log;

    public async Task<CtxReply> HandleAsync(IReadOnlyList<JsonNode?> args, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var result = await CtxRequestProcessor.ProcessAsync(_root, args, cancellationToken);
            return result is CtxStop stop
                ? new CtxReply(CtxReply.StopOperation, new JsonObject { ["message"] = stop.Message })
                : new CtxReply(CtxReply.Result, CtxRequestProcessor.ToPayload(result));
        }
        catch (CtxException ex)
        {
            return Error(ex.Type, ex.Message);
        }
        catch (ManagerApiException ex)
        {
            return Error("CloudifyClientError", ex.Message);
        }
#pragma warning disable CA1031 // Like Cloudify's proxy, any failure of a request goes back to the script as an error reply.
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return Error(ex.GetType().Name, ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes every changed instance's runtime properties to the manager.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var state in new[] { Instance, Source, Target })
            {
                if (state is not null)
                {
                    await state.FlushAsync(cancellationToken);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static CtxReply Error(string type, string message) =>
        new(CtxReply.Error, new JsonObject { ["type"] = type, ["message"] = message, ["traceback"] = string.Empty });
}
