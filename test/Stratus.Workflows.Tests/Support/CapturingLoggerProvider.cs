using Microsoft.Extensions.Logging;

namespace Stratus.Workflows.Tests.Support;

/// <summary>Completes <see cref="WhenLogged"/> waiters as matching log lines are written.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(string Fragment, TaskCompletionSource<string> Done)> _waiters = [];

    public Task<string> WhenLogged(string fragment)
    {
        lock (_gate)
        {
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lines.FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal)) is { } already)
            {
                done.SetResult(already);
            }
            else
            {
                _waiters.Add((fragment, done));
            }

            return done.Task;
        }
    }

    public ILogger CreateLogger(string categoryName) => new Capture(this);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Fragment, StringComparison.Ordinal)).ToList())
            {
                waiter.Done.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    private sealed class Capture(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(formatter(state, exception));
    }
}
