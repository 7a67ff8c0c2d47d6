using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>Gives routing's bare 404/405 answers Cloudify's JSON error body.</summary>
internal static class StatusCodeBodies
{
    public static async Task WriteAsync(HttpContext context)
    {
        if (context.Response.HasStarted || context.Response.ContentLength > 0 || context.Response.ContentType is not null)
        {
            return;
        }

        var body = context.Response.StatusCode switch
        {
            404 => ErrorBody.Create(
                ErrorCodes.NotFound,
                "Requested URL was not found on the server. If you entered the URL manually please check your spelling and try again."),
            405 => ErrorBody.Create(ErrorCodes.MethodNotAllowed, "The method is not allowed for the requested URL."),
            413 => ErrorBody.Create(ErrorCodes.BadParameters, "Request body is too large"),
            415 => ErrorBody.Create(ErrorCodes.UnsupportedContentType, "Unsupported content type"),
            _ => null,
        };
        if (body is not null)
        {
            await context.Response.WriteAsJsonAsync(body, WireJsonContext.Default.JsonObject, cancellationToken: context.RequestAborted);
        }
    }
}
