using System.Text.Json.Serialization;
using Stratus.Client.Models;

namespace Stratus.Client;

/// <summary>Source-generated metadata for what the CLI polls in a loop (events, executions) and the common lists.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ListResponse<CloudifyEvent>))]
[JsonSerializable(typeof(Execution))]
[JsonSerializable(typeof(ListResponse<Execution>))]
[JsonSerializable(typeof(ListResponse<NodeInstance>))]
[JsonSerializable(typeof(Agent))]
[JsonSerializable(typeof(ListResponse<Agent>))]
[JsonSerializable(typeof(ListResponse<Deployment>))]
[JsonSerializable(typeof(ListResponse<Blueprint>))]
[JsonSerializable(typeof(ListResponse<Plugin>))]
[JsonSerializable(typeof(ListResponse<Secret>))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
