namespace Stratus.Client;

/// <summary>The optional flags of <c>PUT /deployments/{id}</c>.</summary>
public sealed record DeploymentCreateOptions
{
    /// <summary>Keep every intrinsic function raw and evaluate it on each read (cfy's <c>--runtime-only-evaluation</c>).</summary>
    public bool RuntimeOnlyEvaluation { get; init; }

    /// <summary>Convert string inputs to their declared integer, float or boolean type (cfy's <c>--auto-correct-types</c>).</summary>
    public bool AutoCorrectTypes { get; init; }

    /// <summary>Labels to attach (cfy's <c>--labels k:v,k:v</c>); a key may appear with several values.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
}
