using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>
/// <see cref="DeploymentModifier"/> on Blueprints/scaling (2 × g1 {host, db}, 3 apps per host, a monitor depending on
/// every app): the added, removed and related instances Cloudify's modify_deployment lists.
/// </summary>
public sealed class DeploymentModifierTests
{
    private static readonly DeploymentPlan Plan =
        DeploymentPlanner.Prepare(TestBlueprints.Parse("scaling/blueprint.yaml"), null, new PlannerOptions { Random = new Random(3) });

    private static List<JsonObject> Previous => [.. Plan.NodeInstances.Select(i => i!.DeepClone().AsObject())];

    private static DeploymentModificationPlan Modify(JsonObject modified) =>
        DeploymentModifier.Modify(Plan.Nodes, Plan.ScalingGroups, Previous, modified, new Random(5));

    private static JsonObject Instances(int n, params string[] include) => new()
    {
        ["instances"] = n,
        ["removed_ids_include_hint"] = new JsonArray([.. include.Select(i => (JsonNode)i)]),
    };

    private static string Text(JsonNode? node, string name) => node![name]!.GetValue<string>();

    private static string Container(JsonObject instance) => Text(instance["relationships"]![0], "target_id");

    private static List<JsonObject> Tagged(JsonArray list, string tag) =>
        [.. list.OfType<JsonObject>().Where(i => i["modification"]?.GetValue<string>() == tag)];

    private static List<JsonObject> Related(JsonArray list) => [.. list.OfType<JsonObject>().Where(i => !i.ContainsKey("modification"))];

    private static List<JsonObject> Of(string node) => Previous.Where(i => Text(i, "node_id") == node).ToList();

    [Fact]
    public void Modify_AddsContainedInstancesPerHost_AndRelatesTheirHostsAndTheMonitor()
    {
        var result = Modify(new JsonObject { ["app"] = Instances(4) });

        var added = Tagged(result.AddedAndRelated, "added");
        var related = Related(result.AddedAndRelated);
        Assert.Equal(2, added.Count);
        Assert.All(added, a => Assert.Equal("app", Text(a, "node_id")));
        Assert.Equal(2, added.Select(Container).Distinct().Count());
        Assert.Equal(
            Of("host").Select(h => Text(h, "id")).Append(Text(Of("monitor")[0], "id")).Order(StringComparer.Ordinal),
            related.Select(r => Text(r, "id")).Order(StringComparer.Ordinal));
        var monitor = related.Single(r => Text(r, "node_id") == "monitor");
        Assert.Equal(added.Select(a => Text(a, "id")).Order(StringComparer.Ordinal), monitor["relationships"]!.AsArray().Select(r => Text(r, "target_id")).Order(StringComparer.Ordinal));
        Assert.All(related.Where(r => Text(r, "node_id") == "host"), h => Assert.Empty(h["relationships"]!.AsArray()));
        Assert.Empty(result.RemovedAndRelated);
        Assert.Empty(result.ExtendedAndRelated);
    }

    [Fact]
    public void Modify_ScalesGroupMembersTogether_WithTheirContainedApps()
    {
        var result = Modify(new JsonObject { ["g1"] = Instances(3) });

        var added = Tagged(result.AddedAndRelated, "added");
        Assert.Equal(["app", "app", "app", "db", "host"], added.Select(a => Text(a, "node_id")).Order(StringComparer.Ordinal));
        var host = added.Single(a => Text(a, "node_id") == "host");
        var db = added.Single(a => Text(a, "node_id") == "db");
        var group = host["scaling_groups"]![0]!;
        Assert.Equal("g1", Text(group, "name"));
        Assert.DoesNotContain(Text(group, "id"), Previous.SelectMany(i => i["scaling_groups"]?.AsArray() ?? []).Select(g => Text(g, "id")));
        Assert.Equal(Text(group, "id"), Text(db["scaling_groups"]![0], "id"));
        Assert.Equal(Text(host, "id"), Text(db["relationships"]![0], "target_id"));
        Assert.All(added.Where(a => Text(a, "node_id") == "app"), a => Assert.Equal(Text(host, "id"), Container(a)));
        Assert.Equal("monitor", Text(Assert.Single(Related(result.AddedAndRelated)), "node_id"));
    }

    [Fact]
    public void Modify_RemovesTheHintedGroupInstance_WithEveryMemberAndContainedApp()
    {
        var db = Of("db")[0];
        var groupId = Text(db["scaling_groups"]![0], "id");
        var hostId = Text(db["relationships"]![0], "target_id");

        var result = Modify(new JsonObject { ["g1"] = Instances(1, Text(db, "id")) });

        var removed = Tagged(result.RemovedAndRelated, "removed");
        Assert.Equal(5, removed.Count);
        Assert.Contains(removed, r => Text(r, "id") == hostId);
        Assert.All(removed.Where(r => r["scaling_groups"] is not null), r => Assert.Equal(groupId, Text(r["scaling_groups"]![0], "id")));
        Assert.All(removed.Where(r => Text(r, "node_id") == "app"), a => Assert.Equal(hostId, Container(a)));
        var monitor = Assert.Single(Related(result.RemovedAndRelated));
        Assert.Equal(3, monitor["relationships"]!.AsArray().Count);
        Assert.Empty(result.AddedAndRelated);
    }

    [Fact]
    public void Modify_KeepsExcludedInstances_AndRemovesTheNewestOtherwise()
    {
        var apps = Of("app").Where(a => Container(a) == Text(Of("host")[0], "id")).Select(a => Text(a, "id")).ToList();
        var spec = new JsonObject { ["app"] = new JsonObject { ["instances"] = 1, ["removed_ids_exclude_hint"] = new JsonArray(apps[^1]) } };

        var removed = Tagged(Modify(spec).RemovedAndRelated, "removed").Select(r => Text(r, "id")).ToList();

        Assert.Equal(4, removed.Count);
        Assert.DoesNotContain(apps[^1], removed);
        Assert.Contains(apps[0], removed);
    }

    [Fact]
    public void Modify_Refuses_AnUnknownEntityOrANegativeCount()
    {
        var unknown = Assert.Throws<DeploymentPlanException>(() => Modify(new JsonObject { ["nope"] = Instances(1) }));
        var negative = Assert.Throws<DeploymentPlanException>(() => Modify(new JsonObject { ["app"] = new JsonObject { ["instances"] = -1 } }));

        Assert.Equal(("bad_parameters_error", "bad_parameters_error"), (unknown.ErrorCode, negative.ErrorCode));
        Assert.Contains("'nope'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("'app'", negative.Message, StringComparison.Ordinal);
    }
}
