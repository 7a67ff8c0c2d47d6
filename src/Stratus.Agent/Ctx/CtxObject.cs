namespace Stratus.Agent.Ctx;

/// <summary>
/// An object the ctx grammar walks by attribute name. A value is another <see cref="CtxObject"/>, a
/// <see cref="CtxFunction"/>, a <see cref="CtxMapping"/>, or plain JSON data.
/// </summary>
internal sealed class CtxObject
{
    private readonly Dictionary<string, Func<CancellationToken, ValueTask<object?>>> _attributes =
        new(StringComparer.Ordinal);

    public CtxObject(string typeName) => TypeName = typeName;

    /// <summary>Named like Cloudify's class, for the "not JSON serializable" error.</summary>
    public string TypeName { get; }

    public CtxObject Add(string name, Func<CancellationToken, ValueTask<object?>> getter)
    {
        _attributes[name] = getter;
        return this;
    }

    public CtxObject Add(string name, object? value) => Add(name, _ => ValueTask.FromResult(value));

    public CtxObject Add(string name, CtxFunction function) => Add(name, _ => ValueTask.FromResult<object?>(function));

    /// <summary>Matches <paramref name="name"/> as given, then with dashes as underscores (Cloudify's desugaring).</summary>
    public bool TryGetAttribute(string name, out Func<CancellationToken, ValueTask<object?>> getter) =>
        _attributes.TryGetValue(name, out getter!)
        || _attributes.TryGetValue(name.Replace('-', '_'), out getter!);
}
