using Stratus.Storage;

namespace Stratus.Server.Http;

internal sealed record ParsedList(ListQuery Query, IReadOnlyList<string>? Include);
