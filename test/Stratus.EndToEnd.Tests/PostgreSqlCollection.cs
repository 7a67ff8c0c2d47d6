namespace Stratus.EndToEnd.Tests;

/// <summary>The PostgreSQL-backed manager, started once for its tests.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlManager>
{
    public const string Name = "postgresql manager";
}
