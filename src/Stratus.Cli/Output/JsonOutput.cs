using System.Text.Json;
using Stratus.Client;

namespace Stratus.Cli.Output;

/// <summary>The <c>--json</c> form of a read verb: indented JSON with Cloudify's field names.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = new(ClientJson.Options) { WriteIndented = true };

    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, Indented));
    }
}
