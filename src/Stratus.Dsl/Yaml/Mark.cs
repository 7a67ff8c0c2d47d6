namespace Stratus.Dsl.Yaml;

/// <summary>A position in a blueprint file; line and column are 1-based.</summary>
internal readonly record struct Mark(string File, int Line, int Column)
{
    public static readonly Mark None = new(string.Empty, 0, 0);

    public DslParseException Error(int code, string message) => new(code, message, File, Line, Column);
}
