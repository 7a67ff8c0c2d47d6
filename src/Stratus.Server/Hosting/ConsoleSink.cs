namespace Stratus.Server.Hosting;

/// <summary>The operator's console (the CLI's stdout), for the one-time admin password line.</summary>
internal sealed class ConsoleSink(TextWriter? writer)
{
    public async Task WriteLineAsync(string line)
    {
        var target = writer ?? Console.Out;
        await target.WriteLineAsync(line);
        await target.FlushAsync();
    }
}
