using System.Text.Json.Nodes;

namespace Stratus.Agent.Ctx;

/// <summary>A callable reached through the ctx grammar (<c>logger info</c>, <c>download-resource</c>, ...).</summary>
internal delegate ValueTask<object?> CtxFunction(
    IReadOnlyList<JsonNode?> args,
    JsonObject? kwargs,
    CancellationToken cancellationToken);
