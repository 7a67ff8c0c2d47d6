namespace Stratus.Dsl.Planning;

/// <summary>
/// A failed input check as Cloudify raises it: the Python exception class (<c>ConstraintException</c>,
/// <c>DSLParsingException</c>, <c>DSLParsingLogicException</c>, <c>TypeError</c>) and its <c>str()</c>.
/// </summary>
internal sealed class InputCheckException : Exception
{
    public InputCheckException(string kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public InputCheckException()
        : this("ConstraintException", "Input check failed")
    {
    }

    public InputCheckException(string message)
        : this("ConstraintException", message)
    {
    }

    public InputCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = "ConstraintException";
    }

    public string Kind { get; }

    /// <summary>How the manager words it when the deployment environment fails: the last traceback line.</summary>
    public string Traceback => Kind == "TypeError" ? $"TypeError: {Message}" : $"dsl_parser.exceptions.{Kind}: {Message}";
}
