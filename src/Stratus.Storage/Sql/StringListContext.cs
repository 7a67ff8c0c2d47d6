using System.Text.Json.Serialization;

namespace Stratus.Storage.Sql;

[JsonSerializable(typeof(List<string>))]
internal sealed partial class StringListContext : JsonSerializerContext;
