using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests;

/// <summary>
/// The namespace and blueprint-import cases of Corpus/ (ns-*, bpimport-*): each one parsed and planned by Stratus,
/// its key facts compared with expected.json, the output of Cloudify's own parser for the same folder.
/// </summary>
public sealed class NamespaceCorpusTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(NamespaceCorpusCase.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (dir!.StartsWith("ns-", StringComparison.Ordinal) || dir.StartsWith("bpimport-", StringComparison.Ordinal))
            {
                data.Add(dir);
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_HasNamespaceAndBlueprintImportCases()
    {
        Assert.True(Cases().Count >= 12, $"expected at least 12 ns-/bpimport- cases under {NamespaceCorpusCase.Root}, found {Cases().Count}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_MatchesCloudify_ForNamespaceCase(string name)
    {
        var corpus = new NamespaceCorpusCase(name);
        var expected = corpus.Expected;
        if (expected["err_code"] is { } code)
        {
            var error = Assert.Throws<DslParseException>(() => corpus.Parse());
            Assert.True(code.GetValue<int>() == error.DslErrorCode, $"{name}: expected DSL error {code} ({expected["message"]}), got {error.DslErrorCode}: {error.Describe()}");
            return;
        }

        var plan = corpus.Parse();
        var deployment = DeploymentPlanner.Prepare(plan, corpus.Inputs).Plan;
        var actual = NamespaceCorpusSummary.Of(plan, deployment);
        foreach (var key in NamespaceCorpusSummary.Keys)
        {
            var want = NamespaceCorpusSummary.Canonical(expected[key]);
            var got = NamespaceCorpusSummary.Canonical(actual[key]);
            Assert.True(want == got, $"{name}: '{key}' differs from Cloudify's\nexpected: {want}\nactual:   {got}");
        }
    }
}
