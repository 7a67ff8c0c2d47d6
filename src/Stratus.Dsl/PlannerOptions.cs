namespace Stratus.Dsl;

public sealed record PlannerOptions
{
    /// <summary>
    /// Looks a secret up (null when it does not exist). As in Cloudify, get_secret stays in the plan and is read at
    /// runtime; the resolver only checks that every secret named literally exists (unknown_deployment_secret_error).
    /// Null skips the check.
    /// </summary>
    public Func<string, string?>? SecretResolver { get; init; }

    /// <summary>Random source for the 6-character instance id suffixes (seeded in tests).</summary>
    public Random? Random { get; init; }

    public const long DefaultMaxNodeInstances = 100_000;

    /// <summary>
    /// The most node instances one deployment may expand to; a typo or hostile count (deploy: 10^12) fails with
    /// deployment_creation_error instead of exhausting memory.
    /// </summary>
    public long MaxNodeInstances { get; init; } = DefaultMaxNodeInstances;
}
