using Stratus.Dsl;
using Stratus.Server.Auth;
using Stratus.Server.Http;
using Stratus.Storage;
using Stratus.Workflows.Functions;

namespace Stratus.Server.Deployments;

/// <summary>
/// <c>get_capability</c> / <c>get_group_capability</c> as the REST service answers them: the shared
/// <see cref="CapabilityLookup"/> in the caller's tenant, limited to what the caller may see, misses as 404.
/// </summary>
internal static class StoredCapabilities
{
    public static CapabilityLookup For(IStratusStore store, Caller caller, SecretCache? secrets = null) =>
        new(store, caller.Tenant, caller.CanSee, (kind, id) => ResourceIds.NotFound(kind, id), secrets);
}
