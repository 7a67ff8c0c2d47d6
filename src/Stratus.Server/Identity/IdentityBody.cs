using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Stratus.Core.Errors;
using Stratus.Server.Http;

namespace Stratus.Server.Identity;

/// <summary>Request bodies and names for the identity endpoints, checked as Cloudify's <c>validate_inputs</c> does.</summary>
internal static class IdentityBody
{
    /// <summary>What Python's <c>quote(value, safe='')</c> leaves alone: letters, digits and <c>_.-~</c>.</summary>
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-~");

    public static Task<JsonObject> ReadAsync(HttpRequest request, ManagerOptions options, CancellationToken cancellationToken) =>
        request.HasJsonContentType()
            ? RequestJson.ReadObjectAsync(request, options.MaxJsonBodyBytes, cancellationToken)
            : throw new StratusException(ErrorCodes.UnsupportedContentType, 415, "Content type must be application/json");

    /// <summary>A body that may be absent (no content): an empty object then.</summary>
    public static async Task<JsonObject> ReadOptionalAsync(HttpRequest request, ManagerOptions options, CancellationToken cancellationToken) =>
        request.ContentLength is null or 0 && request.Headers.TransferEncoding.Count == 0
            ? []
            : await ReadAsync(request, options, cancellationToken);

    /// <summary>Cloudify's <c>validate_inputs</c>: present, at most 256 characters, URL-safe, starting with a letter.</summary>
    public static void ValidateName(string argument, string value)
    {
        var prefix = $"The `{argument}` argument";
        if (value.Length == 0)
        {
            throw StratusException.BadParameters(prefix + " is empty");
        }

        if (value.Length > 256)
        {
            throw StratusException.BadParameters(prefix + " is too long. Maximum allowed length is 256 characters");
        }

        if (value.AsSpan().ContainsAnyExcept(Unreserved))
        {
            throw StratusException.BadParameters(
                prefix + " contains illegal characters. Only letters, digits and the characters \"-\", \".\" and \"_\" are allowed");
        }

        if (!char.IsAsciiLetter(value[0]))
        {
            throw StratusException.BadParameters(prefix + " must begin with a letter");
        }
    }

    /// <summary>A required string field that also passes <see cref="ValidateName"/>.</summary>
    public static string Name(JsonObject body, string field)
    {
        var value = BodyParams.RequiredString(body, field);
        ValidateName(field, value);
        return value;
    }

    /// <summary>Cloudify's <c>validate_and_decode_password</c>.</summary>
    public static string Password(JsonNode? value)
    {
        var password = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(password))
        {
            throw StratusException.BadParameters("The password is empty");
        }

        if (password.Length > 256)
        {
            throw StratusException.BadParameters("The password is too long. Maximum allowed length is 256 characters");
        }

        return password;
    }
}
