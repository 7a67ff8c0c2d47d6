using Stratus.Core.Model;

namespace Stratus.Server.Auth;

/// <summary>
/// Cloudify's lockout rule: a user is locked while more than <see cref="ManagerOptions.FailedLoginsBeforeAccountLock"/>
/// password checks failed in a row and the last failure is younger than <see cref="ManagerOptions.AccountLockPeriod"/>.
/// A period of zero or less (Cloudify's default, -1 minute) never locks.
/// </summary>
internal sealed class AccountLock(ManagerOptions options, TimeProvider timeProvider)
{
    public bool IsLocked(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FailedLoginsCounter > options.FailedLoginsBeforeAccountLock
            && options.AccountLockPeriod > TimeSpan.Zero
            && user.LastFailedLoginAt is { } last
            && last + options.AccountLockPeriod > timeProvider.GetUtcNow();
    }
}
