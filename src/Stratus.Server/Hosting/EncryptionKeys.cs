using System.Security.Cryptography;
using Stratus.Core.Secrets;

namespace Stratus.Server.Hosting;

/// <summary>
/// Where the secrets key comes from: <see cref="ManagerOptions.EncryptionKey"/>, else
/// <see cref="ManagerOptions.EncryptionKeyFile"/>, else <c>&lt;data-dir&gt;/secret.key</c>; when that file does not
/// exist a key is generated in memory and written only after <see cref="EncryptionKeyCheck"/> found the database
/// without a recorded key. Messages name the source, never the key.
/// </summary>
internal static class EncryptionKeys
{
    public const string DefaultFileName = "secret.key";

    public const string VariableName = "STRATUS_ENCRYPTION_KEY";

    public static EncryptionKey Load(ManagerOptions options)
    {
        if (options.EncryptionKey is { } text)
        {
            return Read(text, $"the configured encryption key ({VariableName})", null);
        }

        if (options.EncryptionKeyFile is { } file)
        {
            return File.Exists(file)
                ? Read(File.ReadAllText(file), $"the encryption key file {file}", null)
                : throw new ArgumentException($"The encryption key file {file} does not exist");
        }

        var path = Path.Combine(options.DataDir, DefaultFileName);
        if (File.Exists(path))
        {
            return Read(File.ReadAllText(path), $"the encryption key file {path}", null);
        }

        var key = SecretCipher.NewKey();
        try
        {
            return new EncryptionKey(key, $"a key generated for {path}", path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static EncryptionKey Read(string text, string source, string? generatedFile)
    {
        var key = Decode(text, source);
        try
        {
            return new EncryptionKey(key, source, generatedFile);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[] Decode(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException($"{source} is not base64 text");
        }

        return key.Length == SecretCipher.KeyBytes
            ? key
            : throw new ArgumentException($"{source} must hold {SecretCipher.KeyBytes} bytes (base64), got {key.Length}");
    }
}
