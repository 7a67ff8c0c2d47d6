namespace Stratus.Core.Errors;

/// <summary>
/// The one exception hierarchy whose instances leave the server as Cloudify's
/// <c>{"message", "error_code", "server_traceback"}</c> body with <see cref="HttpStatus"/>.
/// </summary>
public class StratusException : Exception
{
    public StratusException(string errorCode, int httpStatus, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
    }

    public StratusException()
        : this(ErrorCodes.InternalServerError, 500, "Internal error")
    {
    }

    public StratusException(string message)
        : this(ErrorCodes.InternalServerError, 500, message)
    {
    }

    public StratusException(string message, Exception innerException)
        : this(ErrorCodes.InternalServerError, 500, message, innerException)
    {
    }

    /// <summary>Cloudify's error_code string, e.g. <c>not_found_error</c>.</summary>
    public string ErrorCode { get; }

    public int HttpStatus { get; }

    public static StratusException NotFound(string message) => new(ErrorCodes.NotFound, 404, message);

    public static StratusException Conflict(string message) => new(ErrorCodes.Conflict, 409, message);

    public static StratusException BadParameters(string message) => new(ErrorCodes.BadParameters, 400, message);

    public static StratusException InvalidBlueprint(string message) => new(ErrorCodes.InvalidBlueprint, 400, message);

    public static StratusException InvalidPlugin(string message) => new(ErrorCodes.InvalidPlugin, 400, message);

    public static StratusException Unauthorized(string message) => new(ErrorCodes.Unauthorized, 401, message);

    public static StratusException Forbidden(string message) => new(ErrorCodes.Forbidden, 403, message);

    public static StratusException IllegalAction(string message) => new(ErrorCodes.IllegalAction, 400, message);

    public static StratusException DependentExists(string message) => new(ErrorCodes.DependentExists, 400, message);
}
