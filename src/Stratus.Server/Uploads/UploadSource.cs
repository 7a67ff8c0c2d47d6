using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Server.Auth;
using Stratus.Server.Http;

namespace Stratus.Server.Uploads;

/// <summary>
/// What blueprint and plugin uploads share: where the archive comes from (the request, or a URL argument, never
/// both) and the <c>visibility</c> argument's checks.
/// </summary>
internal sealed class UploadSource(RemoteArchiveFetcher fetcher)
{
    /// <summary>
    /// The archive to read: <paramref name="body"/>, or the download of <paramref name="url"/> when given (the caller
    /// disposes the result; a download's temporary file goes with it).
    /// </summary>
    public async Task<Stream> OpenAsync(string? url, Stream body, bool bodyGiven, string urlArgument, string what, long maxBytes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(url))
        {
            return new NonClosing(body);
        }

        if (bodyGiven)
        {
            throw StratusException.BadParameters($"Can pass {what} as only one of: URL via query parameters, multi-form or chunked.");
        }

        return await fetcher.DownloadAsync(url, urlArgument, maxBytes, cancellationToken);
    }

    /// <summary>Cloudify's visibility argument of an upload: a known value, and <c>global</c> for sys_admin only.</summary>
    public static string Visibility(string? visibility, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        visibility ??= Core.Model.Visibility.Tenant;
        if (!Core.Model.Visibility.All.Contains(visibility))
        {
            throw StratusException.BadParameters($"Invalid visibility: `{visibility}`. Valid visibility's values are: {Wire.PyList(Core.Model.Visibility.All)}");
        }

        if (visibility == Core.Model.Visibility.Global && !caller.IsSysAdmin)
        {
            throw StratusException.Forbidden($"User `{caller.Username}` is not permitted to set or create a global resource");
        }

        return visibility;
    }

    /// <summary>The request body, handed out without letting the upload close it.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
