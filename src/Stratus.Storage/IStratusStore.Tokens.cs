using Stratus.Core.Model;

namespace Stratus.Storage;

public partial interface IStratusStore
{
    /// <summary>Stores a token for <see cref="ApiToken.Username"/>; <c>conflict_error</c> on an id clash, <c>not_found_error</c> for an unknown user.</summary>
    Task CreateTokenAsync(ApiToken token, CancellationToken cancellationToken = default);

    /// <summary>The token with its owner's name and system role, or null.</summary>
    Task<ApiToken?> GetTokenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Tokens of <paramref name="username"/> (every user's when null), ordered by id.</summary>
    Task<IReadOnlyList<ApiToken>> ListTokensAsync(string? username, CancellationToken cancellationToken = default);

    /// <summary>Deletes the token; false if there was none.</summary>
    Task<bool> DeleteTokenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user's tokens whose expiration date is at or before <paramref name="now"/>.</summary>
    Task DeleteExpiredTokensAsync(string username, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Stamps <c>last_used</c>.</summary>
    Task TouchTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);
}
