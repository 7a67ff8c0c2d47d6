using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Stratus.Dsl.Tests;

/// <summary>
/// Every case under Corpus/ parsed and prepared by Stratus must give what Cloudify's own parser gave (expected.json):
/// the same summary, or the same error (DSL err_code, or the matching deployment error) naming the same culprits.
/// </summary>
public sealed partial class CorpusTests
{
    private static readonly Dictionary<string, string> DeploymentErrorCodes = new(StringComparer.Ordinal)
    {
        ["MissingRequiredInputError"] = "missing_required_deployment_input_error",
        ["UnknownInputError"] = "unknown_deployment_input_error",
        ["UnknownSecretError"] = "unknown_deployment_secret_error",
    };

    public static TheoryData<string> Cases() => new(CorpusCase.All());

    [Fact]
    public void Corpus_HasItsCases()
    {
        Assert.True(CorpusCase.All().Count() >= 80, $"only {CorpusCase.All().Count()} cases under {CorpusCase.Root}");
        var missing = CorpusCase.KnownDifferences().Except(CorpusCase.All()).ToList();
        Assert.True(missing.Count == 0, $"known-differences.md lists cases that do not exist: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stratus_MatchesCloudify(string name)
    {
        var corpusCase = new CorpusCase(name);
        var difference = Difference(corpusCase);
        if (CorpusCase.KnownDifferences().Contains(name))
        {
            Assert.True(difference is not null, $"{name} now matches Cloudify: remove it from Corpus/known-differences.md");
        }
        else
        {
            Assert.True(difference is null, $"{name}: {difference}");
        }
    }

    private static string? Difference(CorpusCase corpusCase)
    {
        var expected = corpusCase.Expected;
        JsonObject? summary = null;
        Exception? failure = null;
        try
        {
            var parser = new BlueprintParser { PluginResolver = corpusCase.ResolvePlugin, BlueprintResolver = corpusCase.ResolveBlueprint };
            var plan = parser.Parse(corpusCase.BlueprintPath, TestContext.Current.CancellationToken).Plan;
            summary = CorpusSummary.Build(plan, DeploymentPlanner.Prepare(plan, corpusCase.Inputs()));
        }
        catch (Exception ex) when (ex is DslParseException or DeploymentPlanException)
        {
            failure = ex;
        }

        if (expected.ContainsKey("error"))
        {
            return ErrorDifference(expected, failure);
        }

        return failure is not null
            ? $"Cloudify accepts it, Stratus threw {Describe(failure)}"
            : JsonDiff.First(expected, summary);
    }

    private static string? ErrorDifference(JsonObject expected, Exception? actual)
    {
        var kind = expected["error"]!.GetValue<string>();
        var code = expected["err_code"]?.GetValue<int>();
        var message = expected["message"]?.GetValue<string>() ?? "";
        var want = $"Cloudify raised {kind} (err_code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {message}";
        switch (actual)
        {
            case null:
                return $"Stratus accepts it; {want}";
            case DslParseException dsl:
                // A DSL error carries Cloudify's code; the parse-time function errors (not DSL errors there) carry 0.
                var expectedCode = kind.StartsWith("DSLParsing", StringComparison.Ordinal) ? code ?? 0 : 0;
                if (DeploymentErrorCodes.ContainsKey(kind) && kind != "UnknownInputError" || dsl.DslErrorCode != expectedCode)
                {
                    return $"{want}; Stratus threw {Describe(dsl)}";
                }

                if (dsl.Line <= 0)
                {
                    return $"Stratus's error carries no line: {Describe(dsl)}";
                }

                break;
            case DeploymentPlanException deployment when message.Contains("\n  in", StringComparison.Ordinal):
                // Cloudify's message cites the blueprint element: it failed on upload, not on deployment.
                return $"{want}; Stratus accepts the blueprint and fails only on deployment: {Describe(deployment)}";
            case DeploymentPlanException deployment:
                var expectedRest = DeploymentErrorCodes.GetValueOrDefault(kind, "deployment_creation_error");
                if (deployment.ErrorCode != expectedRest
                    || (expectedRest == "deployment_creation_error" && !deployment.Message.StartsWith($"dsl_parser.exceptions.{kind}:", StringComparison.Ordinal)))
                {
                    return $"{want}; Stratus threw {Describe(deployment)}";
                }

                break;
        }

        var unnamed = Quoted().Matches(Culprits(message)).Select(m => Culprit(m.Groups[1].Value))
            .Where(n => n.Length > 0 && !actual.Message.Contains(n, StringComparison.Ordinal)).ToList();
        return unnamed.Count == 0 ? null : $"Stratus's message does not name {string.Join(", ", unnamed.Select(n => $"'{n}'"))}; {want}; Stratus: {Describe(actual)}";
    }

    /// <summary>
    /// The part of Cloudify's message that names things: without the "in: file, line, path, value" context that
    /// DSLParsingException appends, and without Python dict reprs (their keys are the dump, not the culprit).
    /// </summary>
    private static string Culprits(string message)
    {
        var context = message.IndexOf("\n  in", StringComparison.Ordinal);
        var text = context >= 0 ? message[..context] : message;
        var result = new System.Text.StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            depth += c == '{' ? 1 : 0;
            if (depth == 0)
            {
                result.Append(c);
            }

            depth -= c == '}' && depth > 0 ? 1 : 0;
        }

        return result.ToString();
    }

    /// <summary>A file (Cloudify names it by absolute URL) is named by its file name; Python's own type names name nothing.</summary>
    private static string Culprit(string quoted) =>
        quoted is "NoneType" ? ""
        : quoted.StartsWith("file:", StringComparison.Ordinal) || quoted.StartsWith('/') ? Path.GetFileName(quoted)
        : quoted;

    private static string Describe(Exception ex) => ex switch
    {
        DslParseException dsl => $"DslParseException {dsl.DslErrorCode} at line {dsl.Line}: {dsl.Describe()}",
        DeploymentPlanException deployment => $"DeploymentPlanException {deployment.ErrorCode}: {deployment.Message}",
        _ => ex.ToString(),
    };

    [GeneratedRegex(@"'([\w.\-:/]+)'")]
    private static partial Regex Quoted();
}
