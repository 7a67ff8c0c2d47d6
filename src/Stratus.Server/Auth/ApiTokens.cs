using System.Security.Cryptography;
using System.Text;

namespace Stratus.Server.Auth;

/// <summary>
/// API tokens, <c>ctok-&lt;id&gt;-&lt;secret&gt;</c> as Cloudify writes them: a 10-character id to find the row and a
/// 40-character random secret. The secret has ~238 bits of entropy, so a SHA-256 of it (compared in constant time) is
/// as safe as a password KDF and costs nothing per request.
/// </summary>
internal static class ApiTokens
{
    public const string Prefix = "ctok-";
    public const string Masked = "********";
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static (string Id, string Secret) Generate() =>
        (RandomNumberGenerator.GetString(Alphabet, 10), RandomNumberGenerator.GetString(Alphabet, 40));

    public static string Value(string id, string secret) => Prefix + id + "-" + secret;

    public static string Hash(string secret) => "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Verify(string secret, string storedHash)
    {
        var actual = Encoding.ASCII.GetBytes(Hash(secret));
        var expected = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Cloudify's <c>split('-', 2)</c>: three parts or nothing.</summary>
    public static (string Id, string Secret)? Parse(string value)
    {
        var parts = value.Split('-', 3);
        return parts.Length == 3 ? (parts[1], parts[2]) : null;
    }
}
