namespace Stratus.Core.Model;

public sealed record Tenant
{
    public required long StorageId { get; init; }

    public required string Name { get; init; }
}
