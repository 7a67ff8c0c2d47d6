using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Stratus.Server.Auth;

/// <summary>
/// Remembers successful Basic-auth checks for a short while so PBKDF2 does not run on every request. The key is an
/// HMAC of the credentials under a per-process random key: neither the password nor a reusable hash of it is kept.
/// </summary>
internal sealed class CredentialCache(TimeProvider timeProvider, TimeSpan lifetime)
{
    private const int MaxEntries = 10_000;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _entries = new(StringComparer.Ordinal);

    public bool IsKnown(string username, string password)
    {
        var key = KeyOf(username, password);
        if (_entries.TryGetValue(key, out var expires))
        {
            if (expires > timeProvider.GetUtcNow())
            {
                return true;
            }

            _entries.TryRemove(key, out _);
        }

        return false;
    }

    public void Remember(string username, string password)
    {
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[KeyOf(username, password)] = timeProvider.GetUtcNow() + lifetime;
    }

    private string KeyOf(string username, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(username + "\0" + password)));
}
