using System.Security.Cryptography;
using Stratus.Core.Secrets;

namespace Stratus.Server.Hosting;

/// <summary>
/// Where the secrets key comes from: <see cref="ManagerOptions.EncryptionKey"/>, else
/// <see cref="ManagerOptions.EncryptionKeyFile"/>, else <c>&lt;data-dir&gt;/secret.key</c>, created on first start.
/// Messages name the source, never the key.
/// </summary>
internal static class EncryptionKeys
{
    public const string DefaultFileName = "secret.key";

    public static SecretCipher Load(ManagerOptions options)
    {
        if (options.EncryptionKey is { } text)
        {
            return new SecretCipher(Decode(text, "the configured encryption key (STRATUS_ENCRYPTION_KEY)"));
        }

        if (options.EncryptionKeyFile is { } file)
        {
            return File.Exists(file)
                ? new SecretCipher(Decode(File.ReadAllText(file), $"the encryption key file {file}"))
                : throw new ArgumentException($"The encryption key file {file} does not exist");
        }

        var path = Path.Combine(options.DataDir, DefaultFileName);
        if (!File.Exists(path))
        {
            CreateKeyFile(path);
        }

        return new SecretCipher(Decode(File.ReadAllText(path), $"the encryption key file {path}"));
    }

    /// <summary>
    /// Writes a new key beside <paramref name="path"/> and moves it into place, so a manager starting at the same time
    /// either wins or reads the winner's complete file.
    /// </summary>
    private static void CreateKeyFile(string path)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var key = SecretCipher.NewKey();
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(Convert.ToBase64String(key));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another manager created it first; its key is the one to use.
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            File.Delete(temporary);
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
