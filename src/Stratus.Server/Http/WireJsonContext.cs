using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Stratus.Server.Http;

/// <summary>
/// Source-generated metadata for what the REST service writes (rendered <see cref="JsonObject"/>s and strings), so
/// responses do not depend on reflection-based serialization being enabled in the host.
/// </summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
