using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Blueprints/scaling: the group layout verified with Cloudify's parser (2 × {host, db}, 3 apps per host).</summary>
public sealed class ScalingGroupTests
{
    private static readonly List<JsonObject> Instances = DeploymentPlanner
        .Prepare(TestBlueprints.Parse("scaling/blueprint.yaml"), null, new PlannerOptions { Random = new Random(3) })
        .NodeInstances.Select(i => i!.AsObject()).ToList();

    private static List<JsonObject> Of(string node) => Instances.Where(i => i["node_id"]!.GetValue<string>() == node).ToList();

    private static string GroupId(JsonObject instance) => instance["scaling_groups"]![0]!["id"]!.GetValue<string>();

    [Fact]
    public void Prepare_MultipliesGroupMembersTogether_AndContainedNodesPerHost()
    {
        Assert.Equal(2, Of("host").Count);
        Assert.Equal(2, Of("db").Count);
        Assert.Equal(6, Of("app").Count);
        Assert.Single(Of("monitor"));
        Assert.Equal(["host", "host", "db", "db", "app", "app", "app", "app", "app", "app", "monitor"], Instances.Select(i => i["node_id"]!.GetValue<string>()));
    }

    [Fact]
    public void Prepare_TagsOnlyDirectGroupMembers_WithTheirGroupInstance()
    {
        Assert.All(Of("host").Concat(Of("db")), i => Assert.Matches("^g1_[a-z0-9]{6}$", GroupId(i)));
        Assert.Equal(2, Of("host").Select(GroupId).Distinct().Count());
        Assert.All(Of("app"), a => Assert.False(a.ContainsKey("scaling_groups")));
    }

    [Fact]
    public void Prepare_ConnectsDbOnlyToTheHostOfItsOwnGroupInstance()
    {
        foreach (var db in Of("db"))
        {
            var links = db["relationships"]!.AsArray();
            var host = Of("host").Single(h => h["id"]!.GetValue<string>() == links.Single()!["target_id"]!.GetValue<string>());
            Assert.Equal(GroupId(db), GroupId(host));
        }

        Assert.Equal(6, Of("monitor")[0]["relationships"]!.AsArray().Count);
    }

    [Fact]
    public void Prepare_RejectsAllToOne_InsideAGroup()
    {
        var path = TestBlueprints.Write(File.ReadAllText(TestBlueprints.PathOf("scaling/blueprint.yaml")).Replace(
            "        target: host\n  app:", "        target: host\n        properties: {connection_type: all_to_one}\n  app:", StringComparison.Ordinal));
        var plan = new BlueprintParser().Parse(path, TestContext.Current.CancellationToken).Plan;

        var ex = Assert.Throws<DeploymentPlanException>(() => DeploymentPlanner.Prepare(plan, null));

        Assert.Contains("UnsupportedAllToOneInGroup", ex.Message, StringComparison.Ordinal);
    }
}
