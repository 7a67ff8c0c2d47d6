using System.Buffers;
using Stratus.Core.Errors;

namespace Stratus.Server.Secrets;

/// <summary>Cloudify's <c>validate_inputs</c> for a secret key: non-empty, at most 256 characters, URL-safe, starting with a letter.</summary>
internal static class SecretKeys
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    public static void Validate(string key)
    {
        const string Prefix = "The `key` argument";
        if (key.Length == 0)
        {
            throw StratusException.BadParameters($"{Prefix} is empty");
        }

        if (key.Length > 256)
        {
            throw StratusException.BadParameters($"{Prefix} is too long. Maximum allowed length is 256 characters");
        }

        if (key.AsSpan().ContainsAnyExcept(Allowed))
        {
            throw StratusException.BadParameters(
                $"{Prefix} contains illegal characters. Only letters, digits and the characters \"-\", \".\" and \"_\" are allowed");
        }

        if (!char.IsAsciiLetter(key[0]))
        {
            throw StratusException.BadParameters($"{Prefix} must begin with a letter");
        }
    }

    public static StratusException NotFound(string key) => StratusException.NotFound($"Requested `Secret` with ID `{key}` was not found");
}
