using Stratus.Storage;

namespace Stratus.Server.Http;

/// <summary>A parsed list request; <see cref="AllTenants"/> is Cloudify's <c>_all_tenants=true</c> (see <see cref="Auth.ListScope"/>).</summary>
internal sealed record ParsedList(ListQuery Query, IReadOnlyList<string>? Include, bool AllTenants = false);
