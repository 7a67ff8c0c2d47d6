using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Agent.Tests;

/// <summary>The script runner's <c>process</c> input, inline sources, and what a script can and cannot see.</summary>
public sealed class ScriptProcessTests : IDisposable
{
    private readonly ScriptHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ProcessEnvArgsAndCwd_AreApplied()
    {
        var cwd = Directory.CreateDirectory(Path.Combine(_harness.WorkDirectory, "cwd")).FullName;
        var inputs = new JsonObject
        {
            ["shared"] = "from-input",
            ["process"] = new JsonObject
            {
                ["env"] = new JsonObject { ["shared"] = "from-process-env", ["extra"] = new JsonObject { ["k"] = 1 } },
                ["args"] = new JsonArray("first", "second"),
                ["cwd"] = cwd,
            },
        };

        var result = await _harness.RunAsync("#!/bin/bash\nctx returns \"$shared|$extra|$1 $2|$PWD\"\n", inputs);

        Assert.Equal($"from-process-env|{{\"k\": 1}}|first second|{cwd}", result?.GetValue<string>());
    }

    [Fact]
    public async Task CommandPrefix_RunsTheScriptThroughIt()
    {
        var inputs = new JsonObject { ["process"] = new JsonObject { ["command_prefix"] = "/bin/bash -e" } };

        var error = await _harness.FailAsync("ctx instance runtime-properties before yes\nfalse\nctx instance runtime-properties after yes\n", inputs, name: "scripts/noext");

        Assert.Equal(TaskError.Recoverable, error.Kind);
        var stored = _harness.Manager.RuntimeProperties("vm_1");
        Assert.Equal("yes", stored["before"]?.GetValue<string>());
        Assert.False(stored.ContainsKey("after"), "bash -e should have stopped the script at `false`");
    }

    [Fact]
    public async Task DaemonHoldingTheOutputPipe_DoesNotKeepTheOperationRunning()
    {
        var run = _harness.RunAsync("#!/bin/bash\nsleep 30 &\necho started\nctx returns done\n");

        var result = await run.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal("done", result?.GetValue<string>());
        Assert.Contains("<out> started", _harness.Manager.LogTexts);
    }

    [Fact]
    public async Task RuntimeProperties_AreFlushed_WhenTheScriptFails()
    {
        await _harness.FailAsync("#!/bin/bash\nctx instance runtime-properties progress half\nexit 1\n");

        Assert.Equal("half", _harness.Manager.RuntimeProperties("vm_1")["progress"]?.GetValue<string>());
    }

    [Fact]
    public async Task InlineShellSource_RunsAsShell()
    {
        _harness.Manager.AddResource("unused", string.Empty);
        var kwargs = new JsonObject { ["script_source"] = "ctx returns \"$(echo shell)\"" };

        var result = await _harness.Runner.RunAsync(TestTasks.Context(), kwargs, _harness.Manager, TestContext.Current.CancellationToken);

        Assert.Equal("shell", result?.GetValue<string>());
    }

    [Fact]
    public async Task InlinePythonSource_RunsAsPython()
    {
        var kwargs = new JsonObject { ["script_source"] = "from cloudify import ctx\nctx.returns(ctx.instance.id.upper())\n" };

        var result = await _harness.Runner.RunAsync(TestTasks.Context(), kwargs, _harness.Manager, TestContext.Current.CancellationToken);

        Assert.Equal("VM_1", result?.GetValue<string>());
    }

    [Fact]
    public async Task FileUrlScriptPath_RunsTheLocalFile()
    {
        var local = Path.Combine(_harness.WorkDirectory, "local.sh");
        await File.WriteAllTextAsync(local, "#!/bin/bash\nctx returns local\n", TestContext.Current.CancellationToken);

        var result = await _harness.Runner.RunAsync(
            TestTasks.Context(), TestTasks.Kwargs("file://" + local), _harness.Manager, TestContext.Current.CancellationToken);

        Assert.Equal("local", result?.GetValue<string>());
    }

    [Fact]
    public async Task PythonStartedByAShellScript_CanImportCloudifyCtx()
    {
        var result = await _harness.RunAsync(
            "#!/bin/bash\npython3 -c 'from cloudify import ctx; ctx.returns(ctx.node.properties[\"port\"])'\n");

        Assert.Equal(8080, result?.GetValue<int>());
    }

    [Fact]
    public async Task BothScriptPathAndSource_FailWithoutRetry()
    {
        var kwargs = new JsonObject { ["script_source"] = "true", ["script_path"] = "scripts/x.sh" };

        var error = await Assert.ThrowsAsync<Tasks.OperationException>(
            () => _harness.Runner.RunAsync(TestTasks.Context(), kwargs, _harness.Manager, TestContext.Current.CancellationToken));

        Assert.Equal(TaskError.NonRecoverable, error.Kind);
    }

    [Fact]
    public async Task Script_DoesNotSeeTheAgentsStratusSettings()
    {
        Environment.SetEnvironmentVariable("STRATUS_TEST_DB_PASSWORD", "hunter2");
        try
        {
            var result = await _harness.RunAsync("#!/bin/bash\nctx returns \"[${STRATUS_TEST_DB_PASSWORD:-unset}]\"\n");

            Assert.Equal("[unset]", result?.GetValue<string>());
        }
        finally
        {
            Environment.SetEnvironmentVariable("STRATUS_TEST_DB_PASSWORD", null);
        }
    }

    [Fact]
    public async Task ExecutionToken_IsNotInTheScriptsEnvironment_NorInItsLogs()
    {
        await _harness.RunAsync("#!/bin/bash\nenv\nctx logger info done\n");

        var logs = _harness.Manager.LogTexts.ToList();
        Assert.Contains(logs, t => t.StartsWith("<out> CTX_SOCKET_URL=", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, t => t.Contains("secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostIp_ComesFromTheHostInstancesRuntimeProperties()
    {
        _harness.Manager.AddNode("host", []).AddInstance("host_1", "host", new JsonObject { ["ip"] = "192.168.0.9" }, hostId: "host_1")
            .AddInstance("app_1", "vm", hostId: "host_1");

        var result = await _harness.RunAsync("#!/bin/bash\nctx returns \"$(ctx instance host-ip)\"\n", context: TestTasks.Context(nodeId: "app_1"));

        Assert.Equal("192.168.0.9", result?.GetValue<string>());
    }
}
