namespace Stratus.Cli.Parsing;

/// <summary>The command line itself is wrong (unknown verb or flag, missing argument): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message, CommandSpec? command = null)
        : base(message) => Command = command;

    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The verb whose usage to show, when the verb itself was recognised.</summary>
    public CommandSpec? Command { get; }
}
