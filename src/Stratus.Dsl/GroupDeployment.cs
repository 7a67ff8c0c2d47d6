using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>A member of a deployment group as <c>get_group_capability</c> reads it: its id and its stored capability definitions.</summary>
public sealed record GroupDeployment(string DeploymentId, JsonObject Capabilities);
