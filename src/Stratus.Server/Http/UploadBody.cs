using Stratus.Core.Errors;

namespace Stratus.Server.Http;

/// <summary>An uploaded archive written to a file, refused when larger than allowed or empty.</summary>
internal static class UploadBody
{
    public static async Task SaveAsync(Stream source, string path, long maxBytes, string what, CancellationToken cancellationToken)
    {
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        if (await CopyAsync(source, output, maxBytes, cancellationToken) == 0)
        {
            throw new StratusException(ErrorCodes.UploadMissingFile, 400, $"Missing the {what} archive in the request body");
        }
    }

    /// <summary>Copies at most <paramref name="maxBytes"/> (413 past that); the number of bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream output, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw RequestJson.TooLarge(maxBytes);
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }
}
