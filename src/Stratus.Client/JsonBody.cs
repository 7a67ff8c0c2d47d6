using System.Text;
using System.Text.Json.Nodes;

namespace Stratus.Client;

internal static class JsonBody
{
    public static StringContent From(JsonObject body) =>
        new(body.ToJsonString(ClientJson.Options), Encoding.UTF8, "application/json");
}
