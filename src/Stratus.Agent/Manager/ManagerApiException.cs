using System.Net;

namespace Stratus.Agent.Manager;

/// <summary>A manager REST call that did not succeed; carries Cloudify's <c>error_code</c> when the body had one.</summary>
internal sealed class ManagerApiException : Exception
{
    public ManagerApiException()
    {
    }

    public ManagerApiException(string message)
        : base(message)
    {
    }

    public ManagerApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ManagerApiException(HttpStatusCode status, string? errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public HttpStatusCode Status { get; }

    public string? ErrorCode { get; }

    public bool IsConflict => Status == HttpStatusCode.Conflict;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
