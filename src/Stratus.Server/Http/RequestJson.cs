using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>Reads a request body as a JSON object, capped in size, with Cloudify-shaped errors.</summary>
internal static class RequestJson
{
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return [];
        }

        var bytes = buffer.ToArray();
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            // The parser would accept it and fail later, when a string value is read.
            throw StratusException.BadParameters("Request body is not valid UTF-8");
        }

        try
        {
            return JsonNode.Parse(bytes) as JsonObject
                ?? throw StratusException.BadParameters("Request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw StratusException.BadParameters("Request body is not valid JSON: " + e.Message);
        }
    }

    public static StratusException TooLarge(long maxBytes) =>
        new(ErrorCodes.BadParameters, StatusCodes.Status413PayloadTooLarge, $"Request body is larger than the limit of {maxBytes} bytes");
}
