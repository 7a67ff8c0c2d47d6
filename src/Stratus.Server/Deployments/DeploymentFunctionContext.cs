using System.Text.Json.Nodes;
using Stratus.Core.Model;
using Stratus.Dsl;

namespace Stratus.Server.Deployments;

/// <summary>What outputs and capabilities evaluate against: the stored nodes and instances of one deployment.</summary>
internal sealed class DeploymentFunctionContext(Deployment deployment, IReadOnlyList<Node> nodes, IReadOnlyList<NodeInstance> instances)
    : IFunctionContext
{
    public JsonObject Inputs => deployment.Inputs;

    public string? SelfInstanceId => null;

    public string? SourceInstanceId => null;

    public string? TargetInstanceId => null;

    public JsonObject? GetNode(string nodeName)
    {
        var node = nodes.FirstOrDefault(n => n.Id == nodeName);
        return node is null
            ? null
            : new JsonObject
            {
                ["id"] = node.Id,
                ["name"] = node.Id,
                ["type"] = node.Type,
                ["type_hierarchy"] = new JsonArray([.. node.TypeHierarchy.Select(t => JsonValue.Create(t))]),
                ["properties"] = node.Properties.DeepClone(),
                ["relationships"] = node.Relationships.DeepClone(),
                ["host_id"] = node.HostId,
            };
    }

    public JsonObject? GetRuntimeProperties(string nodeInstanceId) =>
        instances.FirstOrDefault(i => i.Id == nodeInstanceId)?.RuntimeProperties;

    public IReadOnlyList<string> GetNodeInstanceIds(string nodeName) =>
        [.. instances.Where(i => i.NodeId == nodeName).OrderBy(i => i.Index).Select(i => i.Id)];

    public string? GetSecret(string key) => null;
}
