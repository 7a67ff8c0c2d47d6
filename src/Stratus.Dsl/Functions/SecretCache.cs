namespace Stratus.Dsl;

/// <summary>
/// The secrets of one evaluation: <see cref="Get"/> answers the ones loaded so far and notes the others;
/// <see cref="LoadPendingAsync"/> reads the noted ones, so <see cref="IntrinsicFunctions.EvaluateAsync"/> can evaluate
/// again. Lives as long as one request or one operation's inputs, never across them, so a changed or deleted secret
/// is seen by the next evaluation.
/// </summary>
/// <param name="load">Reads a secret's clear value; null when the caller has no such secret.</param>
/// <param name="missing">The error for a secret that does not exist (Cloudify answers not_found_error).</param>
public sealed class SecretCache(Func<string, CancellationToken, ValueTask<string?>> load, Func<string, Exception> missing)
{
    private readonly Dictionary<string, string?> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    /// <summary>The clear value, or null while it is not loaded yet; throws for a secret known not to exist.</summary>
    public string? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_known.TryGetValue(key, out var value))
        {
            return value ?? throw missing(key);
        }

        _pending.Add(key);
        return null;
    }

    /// <summary>Loads the secrets asked for since the last call; false when there were none.</summary>
    public async ValueTask<bool> LoadPendingAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.Count == 0)
        {
            return false;
        }

        foreach (var key in _pending.ToList())
        {
            _known[key] = await load(key, cancellationToken);
        }

        _pending.Clear();
        return true;
    }
}
