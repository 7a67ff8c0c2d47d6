using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>Where a deployment plan uses get_capability, with Cloudify's dependency_creator paths and contexts.</summary>
public sealed class InterDeploymentFunctionTests
{
    private const string Blueprint = """
        tosca_definitions_version: cloudify_dsl_1_4
        imports: [cloudify/types/types.yaml]
        plugins:
          p: {executor: central_deployment_agent, install: false}
        node_types:
          t:
            derived_from: cloudify.nodes.Root
            properties: {db: {default: {}}}
        node_templates:
          host:
            type: t
          app:
            type: t
            properties:
              db: {url: {get_capability: [db-dep, url]}}
            relationships:
              - type: cloudify.relationships.connected_to
                target: host
                source_interfaces:
                  cloudify.interfaces.relationship_lifecycle:
                    establish:
                      implementation: p.task
                      inputs:
                        who: {get_capability: [{get_attribute: [TARGET, peer]}, name]}
        capabilities:
          proxied: {value: {get_capability: [7, endpoint]}}
        """;

    [Fact]
    public void Find_ListsNodeUsesPerInstance_RelationshipUsesWithTheirTarget_AndPlanUses()
    {
        var plan = DeploymentPlanner.Prepare(TestBlueprints.ParseText(Blueprint), null);
        var app = plan.NodeInstances.OfType<JsonObject>().Single(i => i["node_id"]!.GetValue<string>() == "app")["id"]!.GetValue<string>();
        var host = plan.NodeInstances.OfType<JsonObject>().Single(i => i["node_id"]!.GetValue<string>() == "host")["id"]!.GetValue<string>();

        var found = InterDeploymentFunctions.Find(plan);

        Assert.Equal(
            [
                "nodes.app.properties.db.url.get_capability",
                "nodes.app.cloudify.relationships.connected_to.establish.inputs.who.get_capability",
                "nodes.app.cloudify.relationships.connected_to.cloudify.interfaces.relationship_lifecycle.establish.inputs.who.get_capability",
                "capabilities.proxied.value.get_capability",
            ],
            found.Select(f => f.FunctionIdentifier));
        Assert.Equal(("db-dep", null, $$"""{"self":"{{app}}"}"""), (found[0].TargetDeploymentId, found[0].TargetFunction, found[0].Context.ToJsonString()));
        Assert.Null(found[1].TargetDeploymentId);
        Assert.Equal("""{"get_attribute":["TARGET","peer"]}""", found[1].TargetFunction!.ToJsonString());
        Assert.Equal($$"""{"self":"{{app}}","source":"{{app}}","target":"{{host}}"}""", found[1].Context.ToJsonString());
        Assert.Equal(("7", "{}"), (found[3].TargetDeploymentId, found[3].Context.ToJsonString()));
    }
}
