using System.Text;

namespace Stratus.Cli.Tests;

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string Headers, string? ContentType, byte[]? Body)
{
    public string BodyText => Body is null ? "" : Encoding.UTF8.GetString(Body);
}
