using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

public sealed class ScriptRunnerTests : IDisposable
{
    private readonly ScriptHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Inputs_AreExported_StringsAsIsAndOtherValuesAsJson()
    {
        var inputs = new JsonObject
        {
            ["word"] = "hello world",
            ["port"] = 8000,
            ["ratio"] = 1.5,
            ["flag"] = true,
            ["cfg"] = new JsonObject { ["a"] = 1 },
            ["items"] = new JsonArray("x", 2),
        };

        var result = await _harness.RunAsync(
            """
            #!/bin/bash
            ctx returns "$word|$port|$ratio|$flag|$cfg|$items"
            """,
            inputs);

        Assert.Equal("hello world|8000|1.5|true|{\"a\": 1}|[\"x\", 2]", result?.GetValue<string>());
    }

    [Fact]
    public async Task RuntimeProperties_SetWithJsonArgument_AreReadBackAndWrittenToManager()
    {
        await _harness.RunAsync(
            """
            #!/bin/bash
            set -e
            ctx instance runtime-properties said "$word"
            ctx instance runtime-properties cfg @'{"a": [1, 2], "on": true}'
            second=$(ctx instance runtime-properties cfg.a[1])
            as_json=$(ctx -j instance runtime-properties cfg)
            as_text=$(ctx instance runtime-properties cfg)
            ctx instance runtime_properties report "$second;$as_json;$as_text"
            """,
            new JsonObject { ["word"] = "yo" });

        var stored = _harness.Manager.RuntimeProperties("vm_1");
        Assert.Equal("yo", stored["said"]?.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": [1, 2], "on": true}"""), stored["cfg"]));
        Assert.Equal("2;{\"a\": [1, 2], \"on\": true};{'a': [1, 2], 'on': True}", stored["report"]?.GetValue<string>());
        Assert.Equal(1, _harness.Manager.PatchCount);
    }

    [Fact]
    public async Task CtxArguments_WithQuotesBackslashesControlCharsAndUnicode_ArriveUnchanged()
    {
        await _harness.RunAsync(
            """
            #!/bin/bash
            set -e
            ctx instance runtime-properties tricky "$(printf 'a "q" \\ b\tc\001d\ncafé')"
            """);

        Assert.Equal("a \"q\" \\ b\tc\u0001d\ncafé", _harness.Manager.RuntimeProperties("vm_1")["tricky"]?.GetValue<string>());
    }

    [Fact]
    public async Task RuntimeProperties_ConcurrentWriteOnManager_IsMergedNotLost()
    {
        _harness.Manager.BeforePatch = id =>
        {
            _harness.Manager.BeforePatch = null;
            _harness.Manager.WriteConcurrently(id, "theirs", "kept");
        };

        await _harness.RunAsync("#!/bin/bash\nctx instance runtime-properties mine set\n");

        var stored = _harness.Manager.RuntimeProperties("vm_1");
        Assert.Equal("set", stored["mine"]?.GetValue<string>());
        Assert.Equal("kept", stored["theirs"]?.GetValue<string>());
    }

    [Fact]
    public async Task NodeProperties_AreReadByPath()
    {
        var result = await _harness.RunAsync(
            """
            #!/bin/bash
            set -e
            ctx returns "$(ctx node properties port):$(ctx node properties nested.list[1]):$(ctx node id):$(ctx instance id)"
            """);

        Assert.Equal("8080:b:vm:vm_1", result?.GetValue<string>());
    }

    [Fact]
    public async Task Returns_JsonValue_BecomesTheOperationResult()
    {
        var result = await _harness.RunAsync("#!/bin/bash\nctx returns @'{\"ok\": [1, 2]}'\n");

        Assert.Equal("""{"ok":[1,2]}""", result?.ToJsonString());
    }

    [Fact]
    public async Task Logger_AndOutputLines_AreSentToManagerAsLogs()
    {
        await _harness.RunAsync(
            """
            #!/bin/bash
            ctx logger info "configured port 8080"
            echo "to stdout"
            echo "to stderr" >&2
            """);

        var texts = _harness.Manager.LogTexts.ToList();
        Assert.Contains("configured port 8080", texts);
        Assert.Contains("<out> to stdout", texts);
        Assert.Contains("<err> to stderr", texts);
        var log = _harness.Manager.Logs.First(l => l["message"]!["text"]!.GetValue<string>() == "configured port 8080");
        Assert.Equal("info", log["level"]?.GetValue<string>());
        Assert.Equal("vm_1", log["context"]!["node_id"]?.GetValue<string>());
        Assert.Equal("exec-1", log["context"]!["execution_id"]?.GetValue<string>());
    }

    [Fact]
    public async Task AbortOperation_FailsWithoutRetry_EvenWhenScriptExitsZero()
    {
        var error = await _harness.FailAsync("#!/bin/bash\nctx abort-operation \"bad config\"\nexit 0\n");

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Equal("bad config", error.Message);
    }

    [Fact]
    public async Task RetryOperation_AsksForRetry_WithRetryAfterSeconds()
    {
        var error = await _harness.FailAsync("#!/bin/bash\nctx retry-operation \"waiting for db\" @15\n");

        Assert.Equal(TaskError.OperationRetry, error.Kind);
        Assert.Equal("waiting for db", error.Message);
        Assert.Equal(15, error.RetryAfter);
    }

    [Fact]
    public async Task NonZeroExit_IsRecoverable_WithExitCodeAndStderr()
    {
        var error = await _harness.FailAsync("#!/bin/bash\necho 'disk full' >&2\nexit 3\n");

        Assert.Equal(TaskError.Recoverable, error.Kind);
        Assert.Contains("exit_code: 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("stderr: disk full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReturnsTwice_FailsWithoutRetry()
    {
        var error = await _harness.FailAsync("#!/bin/bash\nctx returns a\nctx returns b\nexit 0\n");

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Equal("ctx may only abort or return once", error.Message);
    }

    [Fact]
    public async Task Timeout_KillsScript_AndFailsNonRecoverableByDefault()
    {
        var error = await _harness.FailAsync("#!/bin/bash\nsleep 60\n", context: TestTasks.Context(timeout: 0.5));

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeout_IsRecoverable_WhenTimeoutRecoverableIsSet()
    {
        var error = await _harness.FailAsync("#!/bin/bash\nsleep 60\n", context: TestTasks.Context(timeout: 0.5, timeoutRecoverable: true));

        Assert.Equal(TaskError.Recoverable, error.Kind);
    }

    [Fact]
    public async Task ShScriptWithoutShebang_RunsInBash()
    {
        var result = await _harness.RunAsync("if [[ \"$word\" == h* ]]; then ctx returns bash; fi\n", new JsonObject { ["word"] = "hi" });

        Assert.Equal("bash", result?.GetValue<string>());
    }

    [Fact]
    public async Task MissingScript_FailsWithoutRetry()
    {
        var error = await Assert.ThrowsAsync<Tasks.OperationException>(() => _harness.Runner.RunAsync(
            TestTasks.Context(), TestTasks.Kwargs("scripts/missing.sh"), _harness.Manager, TestContext.Current.CancellationToken));

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Contains("scripts/missing.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCtxAttribute_FailsTheCtxCall_WithMessageOnStderr()
    {
        var result = await _harness.RunAsync(
            """
            #!/bin/bash
            if message=$(ctx node nosuch 2>&1); then ctx returns "unexpected success"; else ctx returns "$message"; fi
            """);

        Assert.Equal("RuntimeError: nosuch cannot be processed in ['node', 'nosuch']", result?.GetValue<string>()?.Trim());
    }

    [Fact]
    public async Task DownloadResource_SavesBlueprintFile_AndRenderFillsTemplate()
    {
        _harness.Manager.AddResource("files/app.conf", "static").AddResource("files/site.tmpl", "port={{ ctx.node.properties.port }} name={{ name }}");

        var result = await _harness.RunAsync(
            """
            #!/bin/bash
            set -e
            plain=$(cat "$(ctx download-resource files/app.conf)")
            ctx download-resource-and-render files/site.tmpl site.conf @'{"template_variables": {"name": "web"}}'
            ctx returns "$plain;$(cat site.conf)"
            """);

        Assert.Equal("static;port=8080 name=web", result?.GetValue<string>());
    }

    [Fact]
    public async Task RelationshipOperation_ReadsTargetAndWritesSource()
    {
        _harness.Manager.AddNode("db", new JsonObject { ["port"] = 5432 }).AddInstance("db_1", "db", new JsonObject { ["ip"] = "10.0.0.5" });
        var context = TestTasks.Context(related: new JsonObject { ["node_id"] = "db_1", ["node_name"] = "db", ["is_target"] = true });

        await _harness.RunAsync(
            """
            #!/bin/bash
            set -e
            ctx source instance runtime-properties db_endpoint "$(ctx target instance runtime-properties ip):$(ctx target node properties port)"
            """,
            context: context);

        Assert.Equal("10.0.0.5:5432", _harness.Manager.RuntimeProperties("vm_1")["db_endpoint"]?.GetValue<string>());
    }

    [Fact]
    public async Task PythonScript_UsesCloudifyCtxAndInputs()
    {
        var result = await _harness.RunAsync(
            """
            from cloudify import ctx
            from cloudify.state import ctx_parameters as inputs
            ctx.instance.runtime_properties['seen'] = 'started ' + ctx.instance.id + ' ' + inputs['word']
            ctx.logger.info('python says %s', ctx.node.properties['port'])
            ctx.returns(ctx.node.properties['nested'])
            """,
            new JsonObject { ["word"] = "yo" },
            name: "scripts/start.py");

        Assert.Equal("started vm_1 yo", _harness.Manager.RuntimeProperties("vm_1")["seen"]?.GetValue<string>());
        Assert.Contains("python says 8080", _harness.Manager.LogTexts);
        Assert.Equal("""{"list":["a","b"]}""", result?.ToJsonString());
    }

    [Fact]
    public async Task PythonScript_NestedRuntimePropertyEdits_ArePersisted()
    {
        await _harness.RunAsync(
            """
            from cloudify import ctx
            props = ctx.instance.runtime_properties
            props['servers'] = {'web': ['a']}
            props['servers']['web'].append('b')
            props['gone'] = 1
            del props['gone']
            """,
            name: "scripts/nested.py");

        var stored = _harness.Manager.RuntimeProperties("vm_1");
        Assert.Equal("""{"web":["a","b"]}""", stored["servers"]?.ToJsonString());
        Assert.False(stored.ContainsKey("gone"), "a key set and deleted within the script should not reach the manager");
    }

    [Fact]
    public async Task PythonScript_RaisingNonRecoverableError_FailsWithoutRetry()
    {
        var error = await _harness.FailAsync(
            """
            from cloudify.exceptions import NonRecoverableError
            raise NonRecoverableError('no way')
            """,
            name: "scripts/fail.py");

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
        Assert.Equal("no way", error.Message);
    }
}
