namespace Stratus.Server.Auth;

/// <summary>Endpoint metadata: no authentication (Cloudify's <c>UNAUTHENTICATED_ENDPOINTS</c>: only <c>ok</c>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
internal sealed class AnonymousEndpointAttribute : Attribute;
