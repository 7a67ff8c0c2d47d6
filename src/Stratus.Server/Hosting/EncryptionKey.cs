using System.Security.Cryptography;
using System.Text;
using Stratus.Core.Secrets;

namespace Stratus.Server.Hosting;

/// <summary>
/// The secrets key this manager runs with: the cipher, where the key came from (never the key), and its check value,
/// an HMAC-SHA256 of a fixed label under the key that the database records at the first start so every manager of
/// one database can prove it holds the same key without the key ever being stored. A key generated on this start is
/// written to <see cref="GeneratedFile"/> only once the database is known to record no other key.
/// </summary>
internal sealed class EncryptionKey
{
    private const string CheckLabel = "stratus/encryption-key-check/v1";

    private byte[]? _generated;

    public EncryptionKey(ReadOnlySpan<byte> key, string source, string? generatedFile)
    {
        Cipher = new SecretCipher(key);
        Source = source;
        CheckValue = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(CheckLabel)));
        GeneratedFile = generatedFile;
        _generated = generatedFile is null ? null : key.ToArray();
    }

    public SecretCipher Cipher { get; }

    /// <summary>Where the key came from, for messages: the variable or the file's path.</summary>
    public string Source { get; }

    public string CheckValue { get; }

    /// <summary>Where a key generated on this start goes (<c>&lt;data-dir&gt;/secret.key</c>); null for a key that was read.</summary>
    public string? GeneratedFile { get; }

    /// <summary>
    /// Writes the generated key to <see cref="GeneratedFile"/> (0600, created beside it and moved into place). False when
    /// another manager sharing the folder created the file first: its key, not this one, is then the folder's.
    /// </summary>
    public bool WriteGeneratedFile()
    {
        var key = _generated ?? throw new InvalidOperationException("The key was not generated on this start");
        var path = GeneratedFile!;
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
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
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            _generated = null;
            File.Delete(temporary);
        }
    }
}
