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
}
