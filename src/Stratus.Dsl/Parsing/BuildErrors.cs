namespace Stratus.Dsl.Parsing;

/// <summary>
/// How <see cref="PlanBuilder"/> treats an error in one independently checkable element (an input, a type, a
/// template...): rethrow it (<see cref="BlueprintParser.Parse"/>), or record it, remember the element as failed and
/// carry on (<see cref="BlueprintParser.Validate"/>). Elements that depend on a failed one rethrow the very same
/// exception, which is recorded once, so one mistake yields one error rather than one per dependent.
/// </summary>
internal sealed class BuildErrors
{
    private readonly List<DslParseException> _errors = [];
    private readonly HashSet<DslParseException> _seen = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(string Kind, string Name), DslParseException> _failed = [];

    public BuildErrors(bool collect) => Collecting = collect;

    public bool Collecting { get; }

    public IReadOnlyList<DslParseException> Errors => _errors;

    /// <summary>Runs one check; when collecting, an error is recorded against <paramref name="kind"/>/<paramref name="name"/> and false returned.</summary>
    public bool Run(string kind, string name, Action check)
    {
        if (!Collecting)
        {
            check();
            return true;
        }

        try
        {
            check();
            return true;
        }
        catch (DslParseException e)
        {
            _failed.TryAdd((kind, name), e);
            Record(e);
            return false;
        }
    }

    public void Record(DslParseException error)
    {
        if (_seen.Add(error))
        {
            _errors.Add(error);
        }
    }

    public bool HasFailed(string kind, string name) => _failed.ContainsKey((kind, name));

    public bool AnyFailed(string kind) => _failed.Keys.Any(k => k.Kind == kind);

    public IEnumerable<string> FailedNames(string kind) => _failed.Keys.Where(k => k.Kind == kind).Select(k => k.Name);

    /// <summary>Skips a dependent of a failed element by rethrowing that element's error (recorded once).</summary>
    public void ThrowIfFailed(string kind, string? name)
    {
        if (name is not null && _failed.TryGetValue((kind, name), out var error))
        {
            throw error;
        }
    }
}
