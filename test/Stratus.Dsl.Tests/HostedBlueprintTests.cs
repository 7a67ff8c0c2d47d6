using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Dsl.Tests;

/// <summary>Expectations taken from Cloudify's own parser run on Blueprints/hosted (parse + prepare_deployment_plan).</summary>
public sealed partial class HostedBlueprintTests
{
    private static readonly JsonObject Plan = TestBlueprints.Parse("hosted/blueprint.yaml");

    private static DeploymentPlan Prepare() =>
        DeploymentPlanner.Prepare(Plan, new JsonObject { ["port"] = 9090 }, new PlannerOptions { Random = new Random(7) });

    [Fact]
    public void Parse_GivesHostIdAndAgentPlugins_ForNodesContainedInCompute()
    {
        var host = TestBlueprints.Node(Plan, "host");
        var web = TestBlueprints.Node(Plan, "web");
        var db = TestBlueprints.Node(Plan, "db");

        Assert.Equal("host", host["host_id"]!.GetValue<string>());
        Assert.Equal("host", web["host_id"]!.GetValue<string>());
        Assert.False(db.ContainsKey("host_id"));
        Assert.Equal(72, host["operations"]!.AsObject().Count);
        Assert.Equal(46, web["operations"]!.AsObject().Count);
        Assert.Equal(["agent"], host["plugins_to_install"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(["agent"], Plan["deployment_plugins_to_install"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(["agent"], Plan["host_agent_plugins_to_install"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(
            ["cloudify.nodes.Root", "cloudify.nodes.SoftwareComponent", "cloudify.nodes.WebServer", "stratus.test.Web"],
            web["type_hierarchy"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void Parse_MergesDataTypedPropertyWithItsDeclaredDefault_WhenTemplateGivesPart()
    {
        var agentConfig = TestBlueprints.Node(Plan, "host")["properties"]!["agent_config"]!;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"install_method":"none","port":22,"network":"default"}"""), agentConfig));
    }

    [Fact]
    public void Parse_KeepsFunctions_InBlueprintPlan()
    {
        var web = TestBlueprints.Node(Plan, "web");

        Assert.Equal("port", web["properties"]!["port"]!["get_input"]!.GetValue<string>());
        Assert.Equal(
            "host_count",
            TestBlueprints.Node(Plan, "host")["capabilities"]!["scalable"]!["properties"]!["default_instances"]!["get_input"]!.GetValue<string>());
        Assert.Equal("Two hosts with a web server on each.", new ParsedBlueprint(Plan).Description);
        Assert.Equal("cloudify_dsl_1_4", Plan["version"]!["raw"]!.GetValue<string>());
    }

    [Fact]
    public void Prepare_ResolvesDeploymentTimeFunctions_AndKeepsRuntimeOnes()
    {
        var plan = Prepare();
        var web = plan.Nodes.Single(n => n!["id"]!.GetValue<string>() == "web")!;
        var create = web["operations"]!["cloudify.interfaces.lifecycle.create"]!;

        Assert.Equal(9090, web["properties"]!["port"]!.GetValue<long>());
        Assert.Equal(9090, create["inputs"]!["p"]!.GetValue<long>());
        Assert.Equal("scripts/create.sh", create["inputs"]!["script_path"]!.GetValue<string>());
        Assert.Equal("SELF", create["inputs"]!["ip"]!["get_attribute"]![0]!.GetValue<string>());
        Assert.True(create["has_intrinsic_functions"]!.GetValue<bool>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"concat":["http://",{"get_attribute":["web","ip"]},":",9090]}"""), plan.Outputs["url"]!["value"]));
        Assert.Equal(9090, plan.Inputs["port"]!.GetValue<long>());
        Assert.Equal(2, plan.Inputs["host_count"]!.GetValue<long>());
    }

    [Fact]
    public void Prepare_ExpandsOneWebPerHost_AndConnectsDbToOneWeb()
    {
        var instances = Prepare().NodeInstances.Select(i => i!.AsObject()).ToList();

        Assert.Equal(["host", "host", "web", "web", "db"], instances.Select(i => i["node_id"]!.GetValue<string>()));
        Assert.All(instances, i => Assert.Matches(InstanceId(), i["id"]!.GetValue<string>()));
        var hosts = instances.Where(i => i["node_id"]!.GetValue<string>() == "host").ToList();
        var webs = instances.Where(i => i["node_id"]!.GetValue<string>() == "web").ToList();
        Assert.All(hosts, h => Assert.Equal(h["id"]!.GetValue<string>(), h["host_id"]!.GetValue<string>()));
        Assert.Equal(
            hosts.Select(h => h["id"]!.GetValue<string>()).Order(),
            webs.Select(w => w["relationships"]![0]!["target_id"]!.GetValue<string>()).Order());
        Assert.All(webs, w => Assert.Equal(w["relationships"]![0]!["target_id"]!.GetValue<string>(), w["host_id"]!.GetValue<string>()));
        var db = instances.Single(i => i["node_id"]!.GetValue<string>() == "db");
        Assert.False(db.ContainsKey("host_id"));
        var dbLinks = db["relationships"]!.AsArray();
        Assert.Single(dbLinks);
        Assert.Equal(webs.Select(w => w["id"]!.GetValue<string>()).Min(StringComparer.Ordinal), dbLinks[0]!["target_id"]!.GetValue<string>());
        Assert.Equal("cloudify.relationships.connected_to", dbLinks[0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Prepare_MultipliesContainedNodes_WhenHostCountChanges()
    {
        var plan = DeploymentPlanner.Prepare(Plan, new JsonObject { ["host_count"] = 5 });

        Assert.Equal(5, plan.NodeInstances.Count(i => i!["node_id"]!.GetValue<string>() == "web"));
        Assert.Equal(11, plan.NodeInstances.Count);
        Assert.Equal(11, plan.NodeInstances.Select(i => i!["id"]!.GetValue<string>()).Distinct().Count());
        var host = plan.Nodes.Single(n => n!["id"]!.GetValue<string>() == "host")!;
        Assert.Equal(5, host["capabilities"]!["scalable"]!["properties"]!["current_instances"]!.GetValue<long>());
    }

    [GeneratedRegex("^(host|web|db)_[a-z0-9]{6}$")]
    private static partial Regex InstanceId();
}
