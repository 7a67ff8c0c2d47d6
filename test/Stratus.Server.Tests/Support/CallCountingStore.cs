using System.Collections.Concurrent;
using System.Reflection;
using Stratus.Storage;

namespace Stratus.Server.Tests.Support;

/// <summary>A pass-through <see cref="IStratusStore"/> that counts the calls of each method (by name).</summary>
public class CallCountingStore : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private IStratusStore _inner = null!;

    internal static (IStratusStore Store, CallCountingStore Counter) Wrap(IStratusStore inner)
    {
        var proxy = Create<IStratusStore, CallCountingStore>();
        var counter = (CallCountingStore)(object)proxy;
        counter._inner = inner;
        return (proxy, counter);
    }

    internal int Calls(string method) => _calls.GetValueOrDefault(method);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        _calls.AddOrUpdate(targetMethod.Name, 1, (_, n) => n + 1);
        return targetMethod.Invoke(_inner, args);
    }
}
