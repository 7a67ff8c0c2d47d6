namespace Stratus.Dsl;

/// <summary>A blueprint error: Cloudify's DSL <c>err_code</c>, and where in which file.</summary>
public sealed class DslParseException : Exception
{
    public DslParseException(int errorCode, string message, string? file = null, int line = 0, int column = 0)
        : base(message)
    {
        DslErrorCode = errorCode;
        File = file;
        Line = line;
        Column = column;
    }

    public DslParseException()
        : this(0, "Invalid blueprint")
    {
    }

    public DslParseException(string message)
        : this(0, message)
    {
    }

    public DslParseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Cloudify's DSLParsingException.err_code.</summary>
    public int DslErrorCode { get; }

    public string? File { get; }

    /// <summary>1-based; 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based; 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The message with <c>file:line:col</c> in front when the position is known.</summary>
    public string Describe() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : Message;
}
