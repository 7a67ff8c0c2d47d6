using System.Text.Json.Nodes;
using Stratus.Workflows.Lifecycle;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class AgentStepsTests
{
    private static Core.Model.Node Host(JsonObject properties) => Topology.Node("vm", Topology.Operations()) with
    {
        Type = AgentSteps.ComputeType,
        TypeHierarchy = ["cloudify.nodes.Root", AgentSteps.ComputeType],
        Properties = properties,
    };

    [Theory]
    [InlineData("""{"agent_config": {"install_method": "provided"}}""", "provided")]
    [InlineData("""{"agent_config": {"install_method": "none"}, "install_agent": true}""", "remote")]
    [InlineData("""{"agent_config": {"install_method": "provided"}, "install_agent": false}""", "none")]
    [InlineData("""{"agent_config": {"install_method": "init_script"}, "install_agent": ""}""", "init_script")]
    [InlineData("""{}""", "remote")]
    public void InstallMethod_FollowsCloudify_WithTheLegacyInstallAgentWinningWhenBoolean(string properties, string expected) =>
        Assert.Equal(expected, AgentSteps.InstallMethod(JsonNode.Parse(properties)!.AsObject()));

    [Theory]
    [InlineData("""{"agent_config": {"service_name": "svc", "name": "n"}, "cloudify_agent": {"name": "legacy"}}""", "svc")]
    [InlineData("""{"agent_config": {"name": "n"}, "cloudify_agent": {"name": "legacy"}}""", "n")]
    [InlineData("""{"agent_config": {}, "cloudify_agent": {"name": "legacy"}}""", "legacy")]
    [InlineData("""{"agent_config": {"service_name": ""}}""", "vm_x1y2")]
    public void AgentName_IsTheServiceNameOrLegacyName_ElseTheHostInstanceId(string properties, string expected) =>
        Assert.Equal(expected, AgentSteps.AgentName(Host(JsonNode.Parse(properties)!.AsObject()), Topology.Instance("vm_x1y2", "vm")));
}
