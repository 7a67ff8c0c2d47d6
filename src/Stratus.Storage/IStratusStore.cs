using Stratus.Core.Model;

namespace Stratus.Storage;

/// <summary>
/// The model store. One interface, two providers (SQLite embedded, PostgreSQL production), one conformance suite.
/// Every tenant-scoped call takes the tenant name from the authenticated principal, never from a request body.
/// Not-found reads return null; writes that break a rule throw <see cref="Stratus.Core.Errors.StratusException"/>
/// with Cloudify's error code (duplicate id: <c>conflict_error</c>).
/// </summary>
public partial interface IStratusStore
{
    /// <summary>Applies pending versioned migrations; safe to call on every start and from several managers.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
