namespace Stratus.Server.Hosting;

/// <summary>Set once the store is migrated and bootstrapped; <c>/ok</c> and authentication wait for it.</summary>
internal sealed class ManagerReadiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
