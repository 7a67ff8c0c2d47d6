namespace Stratus.Cli;

/// <summary>A failure to report as <c>Error: message</c> with exit code 1 (no stack trace).</summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
