using System.Text;

namespace Stratus.Agent.Scripts;

/// <summary>The last lines of a stream, bounded, for the failure message of a script.</summary>
internal sealed class OutputTail(int maxChars)
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();

    public void Append(string line)
    {
        lock (_gate)
        {
            _text.Append(line).Append('\n');
            if (_text.Length > maxChars)
            {
                _text.Remove(0, _text.Length - maxChars);
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
