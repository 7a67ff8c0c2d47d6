using System.Text.Json.Nodes;
using Stratus.Dsl.Yaml;

namespace Stratus.Dsl.Parsing;

/// <summary>A node or relationship type after inheritance: hierarchy, property schema, interfaces.</summary>
internal sealed class ResolvedType
{
    public required string Name { get; init; }

    public required string? DerivedFrom { get; init; }

    public required List<string> Hierarchy { get; init; }

    /// <summary>Property name to its schema object (<c>{type?, default?, required?, description?}</c>), parents first.</summary>
    public required Dictionary<string, JsonObject> Properties { get; init; }

    /// <summary>Interface name to operation name to operation; for relationship types the source side.</summary>
    public required Dictionary<string, Dictionary<string, OperationDef>> Interfaces { get; init; }

    public required Dictionary<string, Dictionary<string, OperationDef>> TargetInterfaces { get; init; }

    public required Mark Mark { get; init; }

    public bool IsA(string typeName) => Hierarchy.Contains(typeName);
}
