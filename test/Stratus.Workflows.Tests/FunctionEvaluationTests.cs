using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Storage;
using Stratus.Workflows.Tests.Support;

namespace Stratus.Workflows.Tests;

public sealed class FunctionEvaluationTests
{
    private const string Lc = "cloudify.interfaces.lifecycle.";

    [Fact]
    public async Task Install_SendsInputsWithRuntimeFunctionsEvaluated_WhenOperationUsesGetAttribute()
    {
        var store = new InMemoryStore();
        var consumer = Topology.Node(
            "consumer",
            Topology.Operations((Lc + "configure", Flagged(Topology.Script(
                "scripts/configure.sh",
                inputs: new JsonObject
                {
                    ["endpoint"] = new JsonObject { ["concat"] = new JsonArray("db:", new JsonObject { ["get_attribute"] = new JsonArray("db", "port") }) },
                    ["me"] = new JsonObject { ["get_attribute"] = new JsonArray("SELF", "node_instance_id") },
                })))),
            [Topology.Relationship("cloudify.relationships.connected_to", "db")]);
        var db = Topology.Node("db", Topology.Operations());
        await using var h = EngineHarness.With(
            store,
            [consumer, db],
            [
                Topology.Instance("consumer_1", "consumer", relationships: [Topology.InstanceRelationship("cloudify.relationships.connected_to", "db", "db_1")]),
                Topology.Instance("db_1", "db") with { RuntimeProperties = new JsonObject { ["port"] = 5432 } },
            ]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var configure = Assert.Single(agent.Deliveries);
        Assert.Equal("db:5432", configure.Kwargs["endpoint"]!.GetValue<string>());
        Assert.Equal("consumer_1", configure.Kwargs["me"]!.GetValue<string>());
    }

    [Fact]
    public async Task Install_SendsGetCapability_OfAnotherDeploymentOfTheTenant_EvaluatedThere()
    {
        var store = new InMemoryStore();
        var at = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        store.Seed(
            new Deployment
            {
                Id = "shared",
                TenantName = Topology.Tenant,
                CreatedBy = "admin",
                CreatedAt = at,
                UpdatedAt = at,
                BlueprintId = "shared",
                DisplayName = "shared",
                Inputs = new JsonObject { ["port"] = 5432 },
                Capabilities = new JsonObject
                {
                    ["conn"] = new JsonObject { ["value"] = new JsonObject { ["host"] = "db", ["port"] = new JsonObject { ["get_input"] = "port" } } },
                },
            },
            [],
            []);
        var node = Topology.Node(
            "n",
            Topology.Operations((Lc + "create", Flagged(Topology.Script(
                "scripts/c.sh",
                inputs: new JsonObject
                {
                    ["port"] = new JsonObject { ["get_capability"] = new JsonArray("shared", "conn", "port") },
                    ["conn"] = new JsonObject { ["get_capability"] = new JsonArray("shared", "conn") },
                })))));
        await using var h = EngineHarness.With(store, [node], [Topology.Instance("n_1", "n")]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var create = Assert.Single(agent.Deliveries);
        Assert.Equal(5432, create.Kwargs["port"]!.GetValue<long>());
        Assert.Equal("""{"host":"db","port":5432}""", create.Kwargs["conn"]!.ToJsonString());
    }

    [Fact]
    public async Task Install_FailsOperationWithoutSending_WhenFunctionCannotBeEvaluated()
    {
        var store = new InMemoryStore();
        var node = Topology.Node(
            "n",
            Topology.Operations((Lc + "create", Flagged(Topology.Script(
                "scripts/c.sh",
                inputs: new JsonObject { ["x"] = new JsonObject { ["get_property"] = new JsonArray("SELF", "missing") } })))));
        await using var h = EngineHarness.With(store, [node], [Topology.Instance("n_1", "n")]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Empty(agent.Deliveries);
        Assert.StartsWith("Task failed: script_runner.tasks.run (n_1:" + Lc + "create): NonRecoverableError `", execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_ResolvesGetAttributeToTheRelatedInstance_WhenTheNamedNodeHasSeveral()
    {
        var store = new InMemoryStore();
        var consumer = Topology.Node(
            "consumer",
            Topology.Operations((Lc + "configure", Flagged(Topology.Script(
                "scripts/configure.sh",
                inputs: new JsonObject { ["port"] = new JsonObject { ["get_attribute"] = new JsonArray("db", "port") } })))),
            [Topology.Relationship("cloudify.relationships.connected_to", "db")]);
        var db = Topology.Node("db", Topology.Operations());
        await using var h = EngineHarness.With(
            store,
            [consumer, db],
            [
                Topology.Instance("consumer_1", "consumer", relationships: [Topology.InstanceRelationship("cloudify.relationships.connected_to", "db", "db_2")]),
                Topology.Instance("consumer_2", "consumer", relationships: [Topology.InstanceRelationship("cloudify.relationships.connected_to", "db", "db_1")]),
                Topology.Instance("db_1", "db") with { RuntimeProperties = new JsonObject { ["port"] = 1111 } },
                Topology.Instance("db_2", "db") with { RuntimeProperties = new JsonObject { ["port"] = 2222 } },
            ]);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var ports = agent.Deliveries.ToDictionary(d => d.NodeInstanceId, d => d.Kwargs["port"]!.GetValue<int>());
        Assert.Equal(2222, ports["consumer_1"]);
        Assert.Equal(1111, ports["consumer_2"]);
    }

    [Fact]
    public async Task Install_EvaluatesRawHybridFunctions_OfARuntimeOnlyDeployment()
    {
        var store = new InMemoryStore();
        var node = Topology.Node(
            "n",
            Topology.Operations((Lc + "create", Flagged(Topology.Script(
                "scripts/c.sh",
                inputs: new JsonObject
                {
                    ["from_property"] = new JsonObject { ["get_property"] = new JsonArray("SELF", "p") },
                    ["from_input"] = new JsonObject { ["string_upper"] = new JsonObject { ["get_input"] = "a" } },
                })))))
            with { Properties = new JsonObject { ["p"] = new JsonObject { ["get_input"] = "a" } } };
        // runtime_only_evaluation stores inputs, properties and operation inputs as written.
        var inputs = new JsonObject { ["a"] = new JsonObject { ["concat"] = new JsonArray("x", "y") } };
        await using var h = EngineHarness.With(store, [node], [Topology.Instance("n_1", "n")], inputs);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var create = Assert.Single(agent.Deliveries);
        Assert.Equal("xy", create.Kwargs["from_property"]!.GetValue<string>());
        Assert.Equal("XY", create.Kwargs["from_input"]!.GetValue<string>());
    }

    [Fact]
    public async Task Install_SendsGetLabelGetConsumersAndGetEnvironmentCapability_FromTheStoredLabels()
    {
        var store = new InMemoryStore();
        var at = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        var environment = new Deployment
        {
            Id = "env",
            TenantName = Topology.Tenant,
            CreatedBy = "admin",
            CreatedAt = at,
            UpdatedAt = at,
            BlueprintId = "env",
            DisplayName = "Environment",
            Capabilities = new JsonObject { ["net"] = new JsonObject { ["value"] = new JsonObject { ["cidr"] = "10.1.0.0/16" } } },
        };
        var consumer = environment with { Id = "consumer", DisplayName = "The Consumer", Capabilities = [] };
        store.Seed(environment, [], []);
        store.Seed(consumer, [], []);
        var node = Topology.Node(
            "n",
            Topology.Operations((Lc + "create", Flagged(Topology.Script(
                "scripts/c.sh",
                inputs: new JsonObject
                {
                    ["tier"] = new JsonObject { ["get_label"] = new JsonArray("tier", 0) },
                    ["consumers"] = new JsonObject { ["get_consumers"] = "names" },
                    ["cidr"] = new JsonObject { ["get_environment_capability"] = new JsonArray("net", "cidr") },
                })))));
        await using var h = EngineHarness.With(store, [node], [Topology.Instance("n_1", "n")]);
        var own = (await store.GetDeploymentAsync(Topology.Tenant, Topology.DeploymentId, TestContext.Current.CancellationToken))!;
        store.Seed(
            own with
            {
                Labels =
                [
                    new ResourceLabel("csys-obj-parent", "env", at, "admin"),
                    new ResourceLabel("csys-consumer-id", "consumer", at, "admin"),
                    new ResourceLabel("tier", "web", at, "admin"),
                ],
            },
            [],
            []);
        await using var agent = await FakeAgent.StartAsync(h.Broker, _ => FakeAgent.Success());

        var execution = await h.RunAsync(await h.CreateExecutionAsync("install"));

        Assert.Equal(ExecutionStatus.Terminated, execution.Status);
        var create = Assert.Single(agent.Deliveries);
        Assert.Equal("web", create.Kwargs["tier"]!.GetValue<string>());
        Assert.Equal("""["The Consumer"]""", create.Kwargs["consumers"]!.ToJsonString());
        Assert.Equal("10.1.0.0/16", create.Kwargs["cidr"]!.GetValue<string>());
    }

    private static JsonObject Flagged(JsonObject op)
    {
        op["has_intrinsic_functions"] = true;
        return op;
    }
}
