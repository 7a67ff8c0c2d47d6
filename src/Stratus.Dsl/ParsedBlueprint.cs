using System.Text.Json.Nodes;

namespace Stratus.Dsl;

/// <summary>The result of parsing: Cloudify's blueprint plan (nodes, relationships, workflows, inputs, outputs, ...).</summary>
public sealed record ParsedBlueprint(JsonObject Plan)
{
    public string? Description => Plan["description"]?.GetValue<string>();
}
