using System.Text;

namespace Stratus.EndToEnd.Tests;

/// <summary>Collects a child process's stdout and stderr lines, and lets a test await a line it expects.</summary>
internal sealed class ProcessOutput
{
    private readonly StringBuilder _all = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    public string Text
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_all)
        {
            _all.Append(line).Append('\n');
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                waiter.Seen.TrySetResult(line);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Arms a wait for a line matching <paramref name="match"/> (including lines already seen).</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match)
    {
        lock (_all)
        {
            var earlier = _all.ToString().Split('\n').FirstOrDefault(match);
            if (earlier is not null)
            {
                return Task.FromResult(earlier);
            }

            var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, seen));
            return seen.Task;
        }
    }
}
