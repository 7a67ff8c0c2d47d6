namespace Stratus.Agent.Ctx;

/// <summary>A ctx request that fails; <see cref="Type"/> is the Python exception class name the client sees.</summary>
internal sealed class CtxException : Exception
{
    public CtxException()
        : this("RuntimeError", "ctx request failed")
    {
    }

    public CtxException(string message)
        : this("RuntimeError", message)
    {
    }

    public CtxException(string message, Exception innerException)
        : base(message, innerException) => Type = "RuntimeError";

    public CtxException(string type, string message)
        : base(message) => Type = type;

    public string Type { get; }
}
