using Stratus.Cli.Output;

namespace Stratus.Cli.Tests;

public sealed class TableRendererTests
{
    [Fact]
    public void Render_PadsEveryCellToItsColumn_LikeCfyTables()
    {
        var table = TableRenderer.Render(["id", "state"], [["hello-world", "uploaded"], ["x", null]]);

        var expected =
            "+-------------+----------+\n" +
            "|      id     |  state   |\n" +
            "+-------------+----------+\n" +
            "| hello-world | uploaded |\n" +
            "| x           |          |\n" +
            "+-------------+----------+\n";
        Assert.Equal(expected, table);
    }

    [Fact]
    public void Render_KeepsOneLinePerRow_WhenCellHasNewlines()
    {
        var table = TableRenderer.Render(["description"], [["two\nlines\n"]]);

        Assert.Contains("| two lines   |", table, StringComparison.Ordinal);
        Assert.Equal(5, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Render_DrawsHeaderOnly_WhenThereAreNoRows()
    {
        var table = TableRenderer.Render(["id"], []);

        Assert.Equal("+----+\n| id |\n+----+\n+----+\n", table);
    }
}
