using System.Security.Cryptography;
using System.Text;

namespace Stratus.Core.Secrets;

/// <summary>
/// Encrypts secret values at rest: AES-256-GCM with a fresh random 96-bit nonce per value, the tenant and key bound in
/// as associated data (a stored value copied onto another secret's row does not decrypt). Stored text is
/// <c>v1:</c> + base64(nonce | tag | ciphertext). The key comes from the manager's configuration.
/// </summary>
public sealed class SecretCipher
{
    public const int KeyBytes = 32;
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public SecretCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"The secrets encryption key must be {KeyBytes} bytes, got {key.Length}", nameof(key));
        }

        _key = key.ToArray();
    }

    public string Encrypt(string tenantName, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var plain = Encoding.UTF8.GetBytes(value);
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), Associated(tenantName, key));
        }

        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The clear value; <see cref="CryptographicException"/> when the text was not written with this key for this secret.</summary>
    public string Decrypt(string tenantName, string key, string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("The stored secret value has an unknown format");
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(stored[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The stored secret value is malformed", e);
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The stored secret value is truncated");
        }

        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Decrypt(
                sealedBytes.AsSpan(0, NonceBytes),
                sealedBytes.AsSpan(NonceBytes + TagBytes),
                sealedBytes.AsSpan(NonceBytes, TagBytes),
                plain,
                Associated(tenantName, key));
        }

        var text = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        return text;
    }

    /// <summary>A new random key, as written to <c>&lt;data-dir&gt;/secret.key</c> on a manager's first start.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    private static byte[] Associated(string tenantName, string key) => Encoding.UTF8.GetBytes($"stratus-secret\n{tenantName}\n{key}");
}
