namespace Stratus.Storage.Sql;

/// <summary>Collects the values of one statement; SQL text only ever holds the generated names.</summary>
internal sealed class SqlParameters
{
    private readonly List<SqlParameterValue> _values = [];

    public IReadOnlyList<SqlParameterValue> Values => _values;

    /// <summary>Adds a value and returns its placeholder (<c>@p0</c>, <c>@p1</c>, ...).</summary>
    public string Add(object? value)
    {
        var name = "@p" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _values.Add(new SqlParameterValue(name, value, IsJson: false));
        return name;
    }

    /// <summary>Adds JSON text (null stays SQL NULL).</summary>
    public string AddJson(string? json)
    {
        var name = "@p" + _values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _values.Add(new SqlParameterValue(name, json, IsJson: true));
        return name;
    }

    /// <summary>Adds every value and returns <c>@p3, @p4, ...</c> for an IN list.</summary>
    public string AddList(IEnumerable<object?> values) => string.Join(", ", values.Select(Add));
}
