using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stratus.Core.Errors;
using Stratus.Dsl;

namespace Stratus.Server.Http;

/// <summary>The one place where exceptions become Cloudify's <c>{"message", "error_code", "server_traceback"}</c>.</summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            var (status, code, message) = Map(e);
            if (status >= 500)
            {
                LogUnhandled(logger, context.Request.Method, context.Request.Path, e);
            }

            context.Response.Clear();
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(ErrorBody.Create(code, message), WireJsonContext.Default.JsonObject, cancellationToken: context.RequestAborted);
        }
    }

    internal static (int Status, string Code, string Message) Map(Exception e) => e switch
    {
        StratusException s => (s.HttpStatus, s.ErrorCode, s.Message),
        DslParseException d => (400, ErrorCodes.InvalidBlueprint, "Invalid blueprint - " + d.Describe()),
        DeploymentPlanException p => (400, p.ErrorCode, p.Message),
        BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (413, ErrorCodes.BadParameters, "Request body is too large"),
        BadHttpRequestException b => (400, ErrorCodes.BadParameters, b.Message),
        JsonException j => (400, ErrorCodes.BadParameters, "Invalid JSON: " + j.Message),
        // The type name only: an exception message may carry a connection string or a path with secrets.
        _ => (500, ErrorCodes.InternalServerError, "Internal error occurred in manager REST server - " + e.GetType().Name),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception exception);
}
