namespace Stratus.Agent.Ctx;

/// <summary>The result of <c>abort-operation</c>/<c>retry-operation</c>: the client stops the script with the message.</summary>
internal sealed record CtxStop(string Message);
