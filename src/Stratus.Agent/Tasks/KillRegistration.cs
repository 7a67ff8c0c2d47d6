namespace Stratus.Agent.Tasks;

/// <summary>One running operation's place in <see cref="ExecutionKills"/>; disposing it forgets the operation.</summary>
internal sealed class KillRegistration(Action release, CancellationToken token) : IDisposable
{
    public CancellationToken Token { get; } = token;

    public void Dispose() => release();
}
