namespace Stratus.Server.Auth;

/// <summary>
/// The Cloudify permission an endpoint needs, and where the tenant the roles are read in comes from: the request's
/// tenant (the <c>Tenant</c> header) unless <see cref="SystemWide"/> (no tenant named in a refusal) or
/// <see cref="Deferred"/> (the endpoint checks, e.g. against the tenant in its route). An execution token passes
/// endpoints marked <see cref="AllowIfExecution"/> in its own tenant, as Cloudify's <c>allow_if_execution</c>.
/// </summary>
internal sealed record EndpointPermission(string Name, bool SystemWide = false, bool AllowIfExecution = false, bool Deferred = false);
