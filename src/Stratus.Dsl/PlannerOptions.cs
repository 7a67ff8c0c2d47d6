namespace Stratus.Dsl;

public sealed record PlannerOptions
{
    /// <summary>Resolves <c>get_secret</c>; null leaves secret calls unevaluated.</summary>
    public Func<string, string?>? SecretResolver { get; init; }

    /// <summary>Random source for the 6-character instance id suffixes (seeded in tests).</summary>
    public Random? Random { get; init; }
}
