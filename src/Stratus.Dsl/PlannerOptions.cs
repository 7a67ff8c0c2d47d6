namespace Stratus.Dsl;

public sealed record PlannerOptions
{
    /// <summary>
    /// Looks a secret up (null when it does not exist). As in Cloudify, get_secret stays in the plan and is read at
    /// runtime; the resolver only checks that every secret named literally exists (unknown_deployment_secret_error).
    /// Null skips the check.
    /// </summary>
    public Func<string, string?>? SecretResolver { get; init; }

    /// <summary>
    /// Whether a secret exists for the deploying caller (the manager's store); checked like <see cref="SecretResolver"/>,
    /// which it replaces when both are set.
    /// </summary>
    public Func<string, CancellationToken, ValueTask<bool>>? SecretExists { get; init; }

    /// <summary>Random source for the 6-character instance id suffixes (seeded in tests).</summary>
    public Random? Random { get; init; }

    /// <summary>
    /// Cloudify's <c>auto_correct_types</c>: a string input declared integer, float or boolean is converted first
    /// (Python's <c>int()</c> / <c>float()</c>, and exactly <c>true</c>/<c>false</c>); other values are left alone.
    /// </summary>
    public bool AutoCorrectTypes { get; init; }

    /// <summary>
    /// Cloudify's <c>runtime_only_evaluation</c>: no function is evaluated in the plan; every one stays as written and
    /// is evaluated when nodes are read with <c>_evaluate_functions</c> and when operations run.
    /// </summary>
    public bool RuntimeOnlyEvaluation { get; init; }

    /// <summary>
    /// The manager's objects for object-typed inputs. Null, like Cloudify without a values getter, rejects such inputs
    /// ("value_getter not set").
    /// </summary>
    public IInputValueLookup? ValueLookup { get; init; }

    public const long DefaultMaxNodeInstances = 100_000;

    /// <summary>
    /// The most node instances one deployment may expand to; a typo or hostile count (deploy: 10^12) fails with
    /// deployment_creation_error instead of exhausting memory.
    /// </summary>
    public long MaxNodeInstances { get; init; } = DefaultMaxNodeInstances;
}
