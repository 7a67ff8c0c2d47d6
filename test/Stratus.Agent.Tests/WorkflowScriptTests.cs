using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;
using Stratus.Contracts.Tasks;
using Stratus.Messaging;
using Stratus.Messaging.InProcess;

namespace Stratus.Agent.Tests;

/// <summary>
/// A workflow script with the workflow ctx: identity and parameters, the deployment's nodes and instances, updates
/// through the manager API, and operations asked of a stand-in engine on the execution's queue.
/// </summary>
public sealed class WorkflowScriptTests : IDisposable
{
    private readonly ScriptHarness _harness = new();

    [Fact]
    public async Task WorkflowCtx_ServesIdentityNodesAndOperations_ToBashScript()
    {
        await using var broker = new InProcessBroker();
        await using var engine = await StandInEngine.StartAsync(broker, r => new TaskResponse { Ok = true, Result = $"done:{r.NodeInstanceId}:{r.Operation}:{r.Kwargs?["x"]}" });
        _harness.Manager.AddInstance("vm_2", "vm");

        var result = await RunWorkflowAsync(
            broker,
            """
            #!/bin/bash
            set -e
            ids=$(ctx -j node-instances | python3 -c 'import json, sys; print(",".join(sorted(i["id"] for i in json.load(sys.stdin))))')
            port=$(ctx -j nodes | python3 -c 'import json, sys; n = json.load(sys.stdin)[0]; print(n["properties"]["port"], len(n["instances"]))')
            out=$(ctx execute-operation vm_2 cloudify.interfaces.lifecycle.start @'{"kwargs": {"x": 7}}')
            ctx update-runtime-properties vm_2 @'{"out": "'"$out"'"}'
            ctx set-node-instance-state vm_2 started
            ctx logger info "workflow $(ctx workflow-id) of $(ctx deployment id)"
            ctx send-event "all done"
            ctx returns "$(ctx type)|$(ctx execution-id)|$(ctx blueprint id)|$(ctx parameters label)|$label|$ids|$port"
            """,
            new JsonObject { ["label"] = "weekly" });

        Assert.Equal("workflow|exec-1|bp|weekly|weekly|vm_1,vm_2|8080 2", result?.GetValue<string>());
        var request = Assert.Single(engine.Requests);
        Assert.Equal(("vm_2", "cloudify.interfaces.lifecycle.start", "wf-task"), (request.NodeInstanceId, request.Operation, request.ScriptTaskId));
        Assert.Equal("done:vm_2:cloudify.interfaces.lifecycle.start:7", _harness.Manager.RuntimeProperties("vm_2")["out"]?.GetValue<string>());
        Assert.Equal("started", (await _harness.Manager.GetNodeInstanceAsync("vm_2", TestContext.Current.CancellationToken))["state"]?.GetValue<string>());
        Assert.Contains("workflow my_wf of dep", _harness.Manager.LogTexts);
        Assert.Contains(_harness.Manager.Events, e => e["event_type"]?.GetValue<string>() == "workflow_stage" && e["message"]?["text"]?.GetValue<string>() == "all done");
    }

    [Fact]
    public async Task WorkflowCtx_ExecuteOperationFailsWithOperationError_AndUnknownInstanceIsRefused()
    {
        await using var broker = new InProcessBroker();
        await using var engine = await StandInEngine.StartAsync(broker, _ => new TaskResponse
        {
            Ok = false,
            Error = new TaskError { ExceptionType = "NonRecoverableError", Message = "disk full", KnownExceptionType = "NonRecoverableError" },
        });

        var result = await RunWorkflowAsync(
            broker,
            """
            #!/bin/bash
            failed=$(ctx execute-operation vm_1 cloudify.interfaces.lifecycle.start 2>&1) && exit 9
            missing=$(ctx update-runtime-properties other_1 @'{"a": 1}' 2>&1) && exit 8
            ctx returns "$failed|$missing"
            """);

        Assert.Equal("NonRecoverableError: disk full|NonRecoverableError: Node instance other_1 not found in deployment dep", result?.GetValue<string>());
    }

    public void Dispose() => _harness.Dispose();

    private async Task<JsonNode?> RunWorkflowAsync(InProcessBroker broker, string script, JsonObject? parameters = null)
    {
        _harness.Manager.AddResource("scripts/wf.sh", script);
        var context = TestTasks.Context(nodeId: null, nodeName: null, taskName: QueueNames.ExecuteWorkflowTask, taskId: "wf-task") with
        {
            WorkflowId = "my_wf",
            Type = "workflow",
        };
        await using var operations = await WorkflowOperations.OpenAsync(broker, context, TestContext.Current.CancellationToken);
        return await _harness.Runner.RunAsync(context, TestTasks.Kwargs("scripts/wf.sh", parameters), _harness.Manager, operations, TestContext.Current.CancellationToken);
    }

    /// <summary>Answers workflow requests on the execution's queue as the engine would, recording them.</summary>
    private sealed class StandInEngine : IAsyncDisposable
    {
        private IAsyncDisposable? _consumer;

        public ConcurrentQueue<WorkflowRequest> Requests { get; } = new();

        public static async Task<StandInEngine> StartAsync(InProcessBroker broker, Func<WorkflowRequest, TaskResponse> answer)
        {
            var engine = new StandInEngine();
            var queue = QueueNames.ExecutionResponses("exec-1");
            await broker.DeclareQueueAsync(queue, QueueOptions.Default);
            engine._consumer = await broker.ConsumeAsync(
                queue,
                async (m, ct) =>
                {
                    var request = WorkflowRequest.TryRead(m.Body.Span)!;
                    engine.Requests.Enqueue(request);
                    await broker.PublishAsync(
                        m.ReplyTo!,
                        new OutgoingMessage { Body = JsonSerializer.SerializeToUtf8Bytes(answer(request)), CorrelationId = m.CorrelationId },
                        ct);
                    await m.AckAsync(ct);
                },
                prefetch: 4);
            return engine;
        }

        public async ValueTask DisposeAsync()
        {
            if (_consumer is not null)
            {
                await _consumer.DisposeAsync();
            }
        }
    }
}
