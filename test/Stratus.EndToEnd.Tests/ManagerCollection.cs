namespace Stratus.EndToEnd.Tests;

/// <summary>All end-to-end tests share one manager process and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ManagerCollection : ICollectionFixture<ManagerProcess>
{
    public const string Name = "manager";
}
