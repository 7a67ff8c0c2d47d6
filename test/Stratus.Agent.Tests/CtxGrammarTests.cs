using System.Text.Json.Nodes;
using Stratus.Agent.Ctx;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>The ctx argument resolution, exercised directly against a session (no process, no HTTP).</summary>
public sealed class CtxGrammarTests : IAsyncDisposable
{
    private readonly FakeManagerApi _manager = new FakeManagerApi()
        .AddNode("vm", new JsonObject { ["port"] = 8080, ["nested"] = new JsonObject { ["list"] = new JsonArray("a", "b") } })
        .AddInstance("vm_1", "vm", new JsonObject { ["existing"] = "yes" });

    private readonly OperationLog _log;
    private readonly CtxSession _session;

    public CtxGrammarTests()
    {
        var context = TestTasks.Context();
        _log = new OperationLog(_manager, LogContext.From(context), TimeProvider.System, TimeSpan.FromMilliseconds(10), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _session = new CtxSession(context, _manager, _log, Path.GetTempPath());
    }

    public async ValueTask DisposeAsync()
    {
        _session.Dispose();
        await _log.DisposeAsync();
    }

    [Fact]
    public async Task NodeProperties_ReadsDottedPathWithListIndex()
    {
        var reply = await HandleAsync("node", "properties", "nested.list[1]");

        Assert.Equal(CtxReply.Result, reply.Type);
        Assert.Equal("b", reply.Payload?.GetValue<string>());
    }

    [Fact]
    public async Task Attributes_MatchWithDashesOrUnderscores()
    {
        var dashed = await HandleAsync("instance", "runtime-properties", "existing");
        var underscored = await HandleAsync("instance", "runtime_properties", "existing");

        Assert.Equal(("yes", "yes"), (dashed.Payload?.GetValue<string>(), underscored.Payload?.GetValue<string>()));
    }

    [Fact]
    public async Task RuntimeProperties_SetCreatesIntermediateDicts_AndGetReadsIt()
    {
        var set = await _session.HandleAsync([Str("instance"), Str("runtime-properties"), Str("a.b.c"), JsonNode.Parse("[1, 2]")], TestContext.Current.CancellationToken);
        var get = await HandleAsync("instance", "runtime-properties", "a");

        Assert.Equal((CtxReply.Result, null), (set.Type, set.Payload));
        Assert.Equal("{\"b\":{\"c\":[1,2]}}", get.Payload?.ToJsonString());
        Assert.True(_session.Instance!.IsDirty);
    }

    [Fact]
    public async Task MissingPath_IsAnIllegalPathError()
    {
        var reply = await HandleAsync("node", "properties", "nope.deeper");

        Assert.Equal(CtxReply.Error, reply.Type);
        Assert.Equal("RuntimeError", reply.Payload?["type"]?.GetValue<string>());
        Assert.Equal("illegal path: nope.deeper", reply.Payload?["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task TooManyArgumentsAtADict_IsAnError()
    {
        var reply = await HandleAsync("instance", "runtime-properties", "k", "v", "extra");

        Assert.Equal("Illegal argument while accessing dict", reply.Payload?["message"]?.GetValue<string>());
    }

    [Fact]
    public async Task NodeProperties_AreReadOnly()
    {
        var reply = await HandleAsync("node", "properties", "port", "9090");

        Assert.Equal(CtxReply.Error, reply.Type);
        Assert.Equal("NonRecoverableError", reply.Payload?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task Instance_InDeploymentContext_IsANonRecoverableError()
    {
        var context = TestTasks.Context(nodeId: null, nodeName: null);
        using var session = new CtxSession(context, _manager, _log, Path.GetTempPath());

        var reply = await session.HandleAsync([Str("instance"), Str("id")], TestContext.Current.CancellationToken);

        Assert.Equal("NonRecoverableError", reply.Payload?["type"]?.GetValue<string>());
        Assert.Equal(CtxSession.DeploymentType, (await session.HandleAsync([Str("type")], TestContext.Current.CancellationToken)).Payload?.GetValue<string>());
    }

    [Fact]
    public async Task AbortOperation_StopsTheScript_AndRecordsTheAbort()
    {
        var reply = await HandleAsync("abort-operation", "broken");

        Assert.Equal(CtxReply.StopOperation, reply.Type);
        Assert.Equal("broken", reply.Payload?["message"]?.GetValue<string>());
        Assert.True(_session.Outcome.Aborted);
    }

    [Fact]
    public async Task OperationAttributes_ComeFromTheTaskContext()
    {
        Assert.Equal("cloudify.interfaces.lifecycle.create", (await HandleAsync("operation", "name")).Payload?.GetValue<string>());
        Assert.Equal(3, (await HandleAsync("operation", "max-retries")).Payload?.GetValue<int>());
        Assert.Equal("dep", (await HandleAsync("deployment", "id")).Payload?.GetValue<string>());
        Assert.Equal("bp", (await HandleAsync("blueprint", "id")).Payload?.GetValue<string>());
        Assert.Equal("exec-1", (await HandleAsync("execution-id")).Payload?.GetValue<string>());
        Assert.Equal(CtxSession.NodeInstanceType, (await HandleAsync("type")).Payload?.GetValue<string>());
    }

    [Fact]
    public async Task ObjectResult_IsNotSerializable()
    {
        var reply = await HandleAsync("node");

        Assert.Equal("TypeError", reply.Payload?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task TrailingJsonObject_IsPassedAsKeywordArguments()
    {
        _manager.AddResource("t.txt", "hello {{ who }}");

        var reply = await _session.HandleAsync(
            [Str("get-resource-and-render"), Str("t.txt"), JsonNode.Parse("""{"template_variables": {"who": "world"}}""")],
            TestContext.Current.CancellationToken);

        Assert.Equal("hello world", reply.Payload?.GetValue<string>());
    }

    private static JsonValue Str(string value) => JsonValue.Create(value);

    private Task<CtxReply> HandleAsync(params string[] args) =>
        _session.HandleAsync([.. args.Select(a => (JsonNode?)Str(a))], TestContext.Current.CancellationToken);
}
