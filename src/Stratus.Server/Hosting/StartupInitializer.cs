using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stratus.Contracts.Tasks;
using Stratus.Core.Errors;
using Stratus.Core.Model;
using Stratus.Messaging;
using Stratus.Server.Auth;
using Stratus.Storage;

namespace Stratus.Server.Hosting;

/// <summary>
/// Runs before anything serves: checks the broker management API when one is configured, migrates the store, checks the encryption key against the one the database records,
/// creates <c>default_tenant</c> and the <c>admin</c> user on the
/// first start (printing a generated password once), declares the workflow queue, imports uploaded files an older
/// version kept only on disk, then marks the manager ready.
/// </summary>
internal sealed partial class StartupInitializer(
    IStratusStore store,
    IMessageBroker broker,
    ManagerReadiness readiness,
    ManagerOptions options,
    TimeProvider timeProvider,
    ConsoleSink console,
    EncryptionKey encryptionKey,
    Files.LegacyResourceImport legacyFiles,
    Agents.AgentBrokerUsers brokerUsers,
    ILogger<StartupInitializer> logger) : IHostedService
{
    public const string AdminUsername = "admin";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // First, so a wrong --broker-management-url stops the start before anything is written.
        await brokerUsers.VerifyManagementApiAsync(cancellationToken);
        await store.MigrateAsync(cancellationToken);
        await EncryptionKeyCheck.VerifyAsync(store, encryptionKey, cancellationToken);
        await store.EnsureTenantAsync(AuthenticationMiddleware.DefaultTenant, cancellationToken);
        if (await store.GetUserAsync(AdminUsername, cancellationToken) is null)
        {
            var password = options.AdminPassword ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

            // False when another manager on the same database created it first; its password stands.
            if (await TryCreateAdminAsync(password, cancellationToken))
            {
                await store.SetUserTenantRoleAsync(AdminUsername, AuthenticationMiddleware.DefaultTenant, "manager", cancellationToken);
                if (options.AdminPassword is null)
                {
                    await console.WriteLineAsync($"Generated admin password (shown once): {password}");
                }

                LogAdminCreated(logger, AdminUsername);
            }
        }

        await FinishAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        await broker.DeclareQueueAsync(QueueNames.Workflows, QueueOptions.Default, cancellationToken);
        Directory.CreateDirectory(Path.Combine(options.DataDir, "resources"));
        await legacyFiles.RunAsync(cancellationToken);
        readiness.MarkReady();
    }

    private async Task<bool> TryCreateAdminAsync(string password, CancellationToken cancellationToken)
    {
        try
        {
            await store.CreateUserAsync(
                new User
                {
                    Username = AdminUsername,
                    PasswordHash = PasswordHasher.Hash(password),
                    Role = Caller.SysAdmin,
                    CreatedAt = timeProvider.GetUtcNow(),
                },
                cancellationToken);
            return true;
        }
        catch (StratusException e) when (e.ErrorCode == ErrorCodes.Conflict)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the bootstrap user {Username} in default_tenant")]
    private static partial void LogAdminCreated(ILogger logger, string username);
}
