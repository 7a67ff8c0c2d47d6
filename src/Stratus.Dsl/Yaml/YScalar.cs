using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Yaml;

/// <summary>A resolved scalar: string, bool, long, double, or null (<see cref="Value"/> is then null).</summary>
internal sealed class YScalar : YNode
{
    public YScalar(Mark mark, object? value, string text)
        : base(mark)
    {
        Value = value;
        Text = text;
    }

    public object? Value { get; }

    /// <summary>The scalar as written.</summary>
    public string Text { get; }

    public bool IsNull => Value is null;

    public string? AsString => Value as string;

    public override string KindName => Value switch
    {
        null => "NoneType",
        string => "str",
        bool => "bool",
        long => "int",
        double => "float",
        _ => "object",
    };

    public override JsonNode? ToJson() => Value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => throw new InvalidOperationException("unexpected scalar"),
    };

    public override string ToString() => Value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        _ => Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    internal static JsonValueKind KindOf(object? value) => value switch
    {
        null => JsonValueKind.Null,
        string => JsonValueKind.String,
        bool b => b ? JsonValueKind.True : JsonValueKind.False,
        _ => JsonValueKind.Number,
    };
}
