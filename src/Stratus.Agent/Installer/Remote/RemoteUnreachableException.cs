namespace Stratus.Agent.Installer.Remote;

/// <summary>The host could not be reached or refused the credentials (the message names neither key nor password).</summary>
internal sealed class RemoteUnreachableException : Exception
{
    public RemoteUnreachableException()
    {
    }

    public RemoteUnreachableException(string message)
        : base(message)
    {
    }

    public RemoteUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
