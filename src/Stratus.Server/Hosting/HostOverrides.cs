using Stratus.Messaging;
using Stratus.Server.Dsl;
using Stratus.Storage;

namespace Stratus.Server.Hosting;

/// <summary>Replacements for the composition's infrastructure, for tests that exercise the REST service alone.</summary>
internal sealed record HostOverrides
{
    public static HostOverrides None { get; } = new();

    public IStratusStore? Store { get; init; }

    public IMessageBroker? Broker { get; init; }

    public IDslService? Dsl { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    /// <summary>False keeps the workflow engine and the in-process agent out (REST-only tests).</summary>
    public bool RunEngine { get; init; } = true;
}
