namespace Stratus.Dsl;

/// <summary>
/// Where a value is evaluated: SELF/SOURCE/TARGET are node names at deployment time and instance ids at runtime
/// (<see cref="SelfIsNode"/> marks a SELF that is already a node name, as inside a referenced property).
/// </summary>
internal sealed record FunctionScope(string Where, string? Self = null, string? Source = null, string? Target = null)
{
    public bool SelfIsNode { get; init; }
}
