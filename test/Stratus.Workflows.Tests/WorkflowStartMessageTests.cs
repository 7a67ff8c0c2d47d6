using System.Text.Json.Nodes;
using Stratus.Contracts.Tasks;

namespace Stratus.Workflows.Tests;

public sealed class WorkflowStartMessageTests
{
    [Fact]
    public void WorkflowStartMessage_RoundTripsThroughCloudifyWireShape_WhenSerialized()
    {
        var start = new WorkflowStartMessage
        {
            ExecutionId = "exec-1",
            WorkflowId = "install",
            TaskName = WorkflowStartMessage.BuiltInTaskName("install"),
            TenantName = "default_tenant",
            DeploymentId = "dep",
            BlueprintId = "bp",
            ExecutionToken = "secret-token",
            ExecutionCreatorUsername = "admin",
            Parameters = new JsonObject { ["node_ids"] = new JsonArray("db") },
        };

        var wire = JsonNode.Parse(start.ToBody())!;
        var back = WorkflowStartMessage.FromBody(start.ToBody());

        Assert.Equal("exec-1", wire["id"]!.GetValue<string>());
        var ctx = wire["cloudify_task"]!["kwargs"]!["__cloudify_context"]!;
        Assert.Equal("workflow", ctx["type"]!.GetValue<string>());
        Assert.Equal("cloudify.plugins.workflows.install", ctx["task_name"]!.GetValue<string>());
        Assert.Equal("default_tenant", ctx["tenant"]!["name"]!.GetValue<string>());
        Assert.Equal("db", wire["cloudify_task"]!["kwargs"]!["node_ids"]![0]!.GetValue<string>());
        Assert.Equal(start.ExecutionToken, back.ExecutionToken);
        Assert.Equal("dep", back.DeploymentId);
        Assert.Equal("admin", back.ExecutionCreatorUsername);
        Assert.Equal("""{"node_ids":["db"]}""", back.Parameters.ToJsonString());
    }

    [Fact]
    public void WorkflowStartMessage_RejectsOperationTask_WhenContextIsNotWorkflow()
    {
        var body = """{"id":"t","cloudify_task":{"kwargs":{"__cloudify_context":{"type":"operation"}}}}"""u8.ToArray();

        Assert.Throws<FormatException>(() => WorkflowStartMessage.FromBody(body));
    }
}
