namespace Stratus.Cli.Output;

/// <summary>A one-line progress indicator redrawn in place; silent when stdout is not a terminal.</summary>
internal sealed class Spinner
{
    private static readonly char[] Frames = ['|', '/', '-', '\\'];
    private readonly TextWriter _out;
    private readonly bool _enabled;
    private int _frame;
    private int _width;

    public Spinner(CliConsole console)
    {
        _out = console.Out;
        _enabled = console.IsInteractive;
    }

    public void Tick(string label)
    {
        if (!_enabled)
        {
            return;
        }

        var text = $"{Frames[_frame++ % Frames.Length]} {label}";
        _out.Write("\r" + text.PadRight(_width));
        _width = text.Length;
        _out.Flush();
    }

    /// <summary>Wipes the indicator so the next printed line starts clean.</summary>
    public void Clear()
    {
        if (!_enabled || _width == 0)
        {
            return;
        }

        _out.Write("\r" + new string(' ', _width) + "\r");
        _width = 0;
    }
}
