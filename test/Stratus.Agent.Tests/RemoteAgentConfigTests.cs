using System.Text.Json.Nodes;
using Stratus.Agent.Installer.Remote;
using Stratus.Agent.Tasks;

namespace Stratus.Agent.Tests;

public sealed class RemoteAgentConfigTests
{
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n";

    private static RemoteAgentConfig Resolve(JsonObject node, JsonObject? runtime = null, JsonObject? inputs = null, Func<string, string>? readKeyFile = null) =>
        RemoteAgentConfig.Resolve("agent_1", "vm_1", "vm", node, runtime ?? [], inputs ?? [], readKeyFile ?? (p => throw new FileNotFoundException(p)));

    private static OperationException Refused(JsonObject node, JsonObject? runtime = null) =>
        Assert.Throws<OperationException>(() => Resolve(node, runtime));

    [Fact]
    public void Address_ComesFromTheRuntimeIp_ThenTheNodeIp_ThenTheAgentConfig()
    {
        var config = new JsonObject { ["user"] = "ubuntu", ["key"] = Key, ["ip"] = "10.0.0.3" };

        var fromRuntime = Resolve(new JsonObject { ["ip"] = "10.0.0.2", ["agent_config"] = config.DeepClone() }, new JsonObject { ["ip"] = "10.0.0.1" });
        var fromNode = Resolve(new JsonObject { ["ip"] = "10.0.0.2", ["agent_config"] = config.DeepClone() });
        var fromConfig = Resolve(new JsonObject { ["ip"] = "", ["agent_config"] = config.DeepClone() });

        Assert.Equal(("10.0.0.1", "10.0.0.2", "10.0.0.3"), (fromRuntime.Host, fromNode.Host, fromConfig.Host));
    }

    [Fact]
    public void Settings_FollowCloudifysPrecedence_InputsOverRuntimeOverNode_WithLegacyAndExtraFlattened()
    {
        var node = new JsonObject
        {
            ["ip"] = "10.0.0.9",
            ["agent_config"] = new JsonObject { ["user"] = "node-user", ["key"] = Key, ["port"] = 22, ["extra"] = new JsonObject { ["basedir"] = "/opt/node" } },
            // The deprecated property overlays agent_config on the node.
            ["cloudify_agent"] = new JsonObject { ["port"] = "2201" },
        };
        var runtime = new JsonObject { ["cloudify_agent"] = new JsonObject { ["user"] = "runtime-user", ["ssh_host_key_fingerprint"] = "SHA256:recorded=" } };
        var inputs = new JsonObject { ["agent_config"] = new JsonObject { ["extra"] = new JsonObject { ["basedir"] = "/opt/input" } } };

        var config = Resolve(node, runtime, inputs);

        Assert.Equal(("runtime-user", 2201, "/opt/input", "SHA256:recorded"), (config.User, config.Port, config.BaseDir, config.ExpectedFingerprint));
        Assert.Equal("runtime-user@10.0.0.9:2201", config.Destination);
    }

    [Fact]
    public void Defaults_Port22_NoProcessManagementChoice_AndAPasswordAlone_IsEnough()
    {
        var config = Resolve(new JsonObject { ["ip"] = "h", ["password"] = "pw", ["agent_config"] = new JsonObject { ["user"] = "u" } });

        Assert.Equal((22, null, null, "pw"), (config.Port, config.ProcessManagement, config.Key, config.Password));
        Assert.DoesNotContain("pw", config.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Key_IsReadFromAPathOnTheManager_WhenItIsNotAKeysText()
    {
        string? asked = null;

        var config = Resolve(
            new JsonObject { ["ip"] = "h", ["agent_config"] = new JsonObject { ["user"] = "u", ["key"] = "/etc/keys/id" } },
            readKeyFile: p => { asked = p; return Key; });
        var unreadable = Assert.Throws<OperationException>(
            () => Resolve(new JsonObject { ["ip"] = "h", ["agent_config"] = new JsonObject { ["user"] = "u", ["key"] = "/nope/id" } }));

        Assert.Equal(("/etc/keys/id", Key), (asked, config.Key));
        Assert.DoesNotContain("BEGIN", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("/nope/id", unreadable.Message, StringComparison.Ordinal);
        Assert.Contains("vm_1", unreadable.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ip", """{"agent_config": {"user": "u", "key": "-----BEGIN RSA PRIVATE KEY-----"}}""")]
    [InlineData("user", """{"ip": "h", "agent_config": {"key": "-----BEGIN RSA PRIVATE KEY-----"}}""")]
    [InlineData("key or password", """{"ip": "h", "agent_config": {"user": "u"}}""")]
    public void MissingSettings_AreNonRecoverable_NamingTheNodeTheInstanceAndWhereToSetThem(string missing, string node)
    {
        var error = Refused(JsonNode.Parse(node)!.AsObject());

        Assert.Equal(Contracts.Tasks.TaskError.NonRecoverable, error.Kind);
        Assert.StartsWith($"{missing} must be set for node instance vm_1 of node 'vm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("vm.properties.agent_config", error.Message, StringComparison.Ordinal);
        Assert.Contains("vm_1.runtime_properties.cloudify_agent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"port": "ssh"}""", "agent_config.port")]
    [InlineData("""{"port": 70000}""", "agent_config.port")]
    [InlineData("""{"process_management": {"name": "init.d"}}""", "process_management.name 'init.d'")]
    [InlineData("""{"env": {"BAD NAME": "x"}}""", "agent_config.env.BAD NAME")]
    public void MalformedSettings_AreRefused_NamingTheSetting(string extra, string named)
    {
        var config = JsonNode.Parse(extra)!.AsObject();
        config["user"] = "u";
        config["key"] = Key;

        var error = Refused(new JsonObject { ["ip"] = "h", ["agent_config"] = config });

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("vm_1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvAndProcessManagement_AreTakenAsGiven()
    {
        var config = Resolve(new JsonObject
        {
            ["ip"] = "h",
            ["agent_config"] = new JsonObject
            {
                ["user"] = "u", ["key"] = Key, ["process_management"] = new JsonObject { ["name"] = "detach" },
                ["env"] = new JsonObject { ["HTTP_PROXY"] = "http://proxy:3128", ["LEVEL"] = 3 },
            },
        });

        Assert.Equal("detach", config.ProcessManagement);
        Assert.Equal(new Dictionary<string, string> { ["HTTP_PROXY"] = "http://proxy:3128", ["LEVEL"] = "3" }, config.Env);
    }
}
