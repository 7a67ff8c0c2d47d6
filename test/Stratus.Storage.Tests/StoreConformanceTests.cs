using Microsoft.Extensions.Time.Testing;
using Stratus.Core.Errors;
using Stratus.Storage.Sql;

namespace Stratus.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="IStratusStore"/> provider must show. Each test gets a fresh, migrated database
/// from the derived class; <see cref="Store"/> skips (or, on CI, fails) the test when the provider's service is
/// not provisioned.
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    private IStratusStore? _store;
    private readonly List<IStratusStore> _opened = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 123, TimeSpan.Zero));

    protected IStratusStore Store
    {
        get
        {
            TestServices.Require(UnavailableReason);

            return _store ?? throw new InvalidOperationException("The store was not initialized.");
        }
    }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Why the provider cannot run here (e.g. no PostgreSQL provisioned); null when it can.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Creates an empty database and returns where it is (a file path, a connection string).</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    /// <summary>Opens a new store instance on a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    protected abstract IStratusStore OpenStore(string location);

    /// <summary>The provider's dialect on a database made by <see cref="CreateDatabaseAsync"/> (migration runner tests).</summary>
    internal abstract SqlDialect OpenDialect(string location);

    public async ValueTask InitializeAsync()
    {
        if (UnavailableReason is not null)
        {
            return;
        }

        _store = await OpenMigratedAsync(await CreateDatabaseAsync());
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var store in _opened)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected IStratusStore Open(string location)
    {
        var store = OpenStore(location);
        _opened.Add(store);
        return store;
    }

    private async Task<IStratusStore> OpenMigratedAsync(string location)
    {
        var store = Open(location);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        return store;
    }

    /// <summary>Starts every contender on the thread pool, holds them at one gate, then releases them together.</summary>
    protected static async Task<T[]> RaceAsync<T>(IEnumerable<Func<Task<T>>> contenders)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = contenders.Select(contender => Task.Run(async () =>
        {
            await gate.Task;
            return await contender();
        })).ToList();
        gate.SetResult();
        return await Task.WhenAll(running);
    }

    protected static async Task<StratusException> AssertStratusAsync(string errorCode, int status, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<StratusException>(action);
        Assert.Equal(errorCode, error.ErrorCode);
        Assert.Equal(status, error.HttpStatus);
        return error;
    }
}
