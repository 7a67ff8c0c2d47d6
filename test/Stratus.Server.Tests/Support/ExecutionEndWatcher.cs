using System.Collections.Concurrent;
using System.Reflection;
using Stratus.Core.Model;
using Stratus.Storage;

namespace Stratus.Server.Tests.Support;

/// <summary>
/// A pass-through <see cref="IStratusStore"/> that completes a task when an execution reaches an end state, so tests
/// await the engine instead of polling or sleeping.
/// </summary>
public class ExecutionEndWatcher : DispatchProxy
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _ends = new(StringComparer.Ordinal);
    private IStratusStore _inner = null!;

    internal static (IStratusStore Store, ExecutionEndWatcher Watcher) Wrap(IStratusStore inner)
    {
        var proxy = Create<IStratusStore, ExecutionEndWatcher>();
        var watcher = (ExecutionEndWatcher)(object)proxy;
        watcher._inner = inner;
        return (proxy, watcher);
    }

    internal async Task<string> EndOfAsync(string executionId, TimeSpan timeout)
    {
        try
        {
            return await Slot(executionId).Task.WaitAsync(timeout, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            var current = await _inner.GetExecutionAsync(null, executionId, CancellationToken.None);
            throw new TimeoutException($"execution {executionId} did not end within {timeout}; it is {current?.Status ?? "missing"} (expected an end state)");
        }
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var result = targetMethod.Invoke(_inner, args);
        if (targetMethod.Name == nameof(IStratusStore.TryTransitionExecutionAsync) && result is Task<bool> changed
            && args![0] is string id && args[1] is ExecutionTransition { } transition && ExecutionStatus.IsEnd(transition.To))
        {
            return Observe(changed, id, transition.To);
        }

        return result;
    }

    private async Task<bool> Observe(Task<bool> changed, string id, string status)
    {
        var applied = await changed;
        if (applied)
        {
            Slot(id).TrySetResult(status);
        }

        return applied;
    }

    private TaskCompletionSource<string> Slot(string id) =>
        _ends.GetOrAdd(id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
}
