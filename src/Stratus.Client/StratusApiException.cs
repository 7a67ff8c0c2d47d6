using System.Net;

namespace Stratus.Client;

/// <summary>A manager answered with an error: the HTTP status plus Cloudify's <c>error_code</c> and <c>message</c>.</summary>
public sealed class StratusApiException : Exception
{
    public StratusApiException(HttpStatusCode statusCode, string errorCode, string message, string? serverTraceback = null)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerTraceback = serverTraceback;
    }

    public StratusApiException()
        : this(HttpStatusCode.InternalServerError, "internal_server_error", "Unknown manager error")
    {
    }

    public StratusApiException(string message)
        : this(HttpStatusCode.InternalServerError, "internal_server_error", message)
    {
    }

    public StratusApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        ErrorCode = "internal_server_error";
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Cloudify's error code, e.g. <c>not_found_error</c>, <c>invalid_blueprint_error</c>.</summary>
    public string ErrorCode { get; }

    public string? ServerTraceback { get; }
}
