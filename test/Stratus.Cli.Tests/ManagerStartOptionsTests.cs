using Stratus.Cli.Commands;
using Stratus.Cli.Parsing;

namespace Stratus.Cli.Tests;

public sealed class ManagerStartOptionsTests
{
    private readonly ArgumentParser _parser = new(CommandCatalog.All);

    [Fact]
    public void ManagerStart_TakesMaxWorkersAndWaitAfterFail_FromFlags()
    {
        var options = ManagerCommands.ToOptions(_parser.Parse(["manager", "start", "--data-dir", "/d", "--max-workers", "3", "--wait-after-fail", "30"]), _ => null);
        var defaults = ManagerCommands.ToOptions(_parser.Parse(["manager", "start", "--data-dir", "/d"]), _ => null);

        Assert.Equal((3, TimeSpan.FromSeconds(30)), (options.MaxWorkers, options.WaitAfterFail));
        Assert.Equal((null, TimeSpan.FromSeconds(600)), (defaults.MaxWorkers, defaults.WaitAfterFail));
    }

    [Theory]
    [InlineData("--max-workers", "0", "--max-workers must be between 1 and 10000, got 0")]
    [InlineData("--wait-after-fail", "-1", "option --wait-after-fail expects a non-negative")]
    public void ManagerStart_RefusesOutOfRangeValue_NamingTheFlag(string flag, string value, string message)
    {
        var error = Assert.Throws<UsageException>(() => ManagerCommands.ToOptions(_parser.Parse(["manager", "start", "--data-dir", "/d", flag, value]), _ => null));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
