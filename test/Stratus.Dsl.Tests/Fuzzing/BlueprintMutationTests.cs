using System.Globalization;
using System.Text.Json.Nodes;

namespace Stratus.Dsl.Tests.Fuzzing;

/// <summary>
/// Property: whatever a blueprint's author (or attacker) writes, Parse, Validate and DeploymentPlanner.Prepare answer
/// with a clear error (DslParseException / DeploymentPlanException with a message) or a plan; never another
/// exception, never a hang, and Validate's first error is the one Parse throws. Reproduce a failure with
/// STRATUS_FUZZ_SEED (the base seed printed); raise STRATUS_FUZZ_ITERATIONS for a longer run.
/// </summary>
public sealed class BlueprintMutationTests
{
    private const int DefaultSeed = 20261126;
    private const int DefaultIterations = 100;

    /// <summary>Generous: a mutation that is still running after this long is a hang, not a slow parse.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    public static TheoryData<string> Corpus()
    {
        var data = new TheoryData<string>();
        foreach (var main in FuzzCorpus.MainFiles())
        {
            data.Add(main);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task MutatedBlueprint_YieldsPlanOrClearError_NeverCrashesOrHangs(string mainFile)
    {
        var baseSeed = Setting("STRATUS_FUZZ_SEED", DefaultSeed);
        var iterations = Setting("STRATUS_FUZZ_ITERATIONS", DefaultIterations);
        var first = Setting("STRATUS_FUZZ_FROM", 0);
        using var copy = FuzzCorpus.CopyOf(mainFile);
        var failures = new List<string>();
        for (var i = first; i < first + iterations && failures.Count < 5; i++)
        {
            var seed = unchecked((baseSeed * 7919) + (i * 104729) + mainFile.Length);
            var random = new Random(seed);
            var target = copy.PickFile(random);
            var original = await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken);
            var mutator = new BlueprintMutator(random);
            await File.WriteAllTextAsync(target, mutator.Mutate(original), TestContext.Current.CancellationToken);
            var problem = await CheckAsync(copy.Main);
            if (problem is not null)
            {
                failures.Add(
                    $"base seed {baseSeed} (STRATUS_FUZZ_SEED), iteration {i}, mutation seed {seed}, file {Path.GetFileName(target)}: " +
                    $"{mutator.Describe}\n  -> {problem}");
            }

            await File.WriteAllTextAsync(target, original, TestContext.Current.CancellationToken);
        }

        Assert.True(failures.Count == 0, $"{mainFile}:\n" + string.Join("\n", failures));
    }

    private static async Task<string?> CheckAsync(string main)
    {
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        guard.CancelAfter(Guard);
        try
        {
            return await Task.Run(() => Check(main, guard.Token), guard.Token).WaitAsync(guard.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            return $"did not finish within {Guard.TotalMinutes} minutes";
        }
    }

    private static string? Check(string main, CancellationToken cancellationToken)
    {
        var parser = new BlueprintParser();
        JsonObject? plan = null;
        DslParseException? parseError = null;
        try
        {
            plan = parser.Parse(main, cancellationToken).Plan;
        }
        catch (DslParseException e)
        {
            parseError = e;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"Parse threw {Crash(e)}";
        }

        IReadOnlyList<DslParseException> errors;
        try
        {
            errors = parser.Validate(main, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"Validate threw {Crash(e)}";
        }

        if (errors.FirstOrDefault(e => string.IsNullOrWhiteSpace(e.Message)) is { } silent)
        {
            return $"error {silent.DslErrorCode} without a message";
        }

        if (parseError is not null)
        {
            return errors.Count > 0 && errors[0].Describe() == parseError.Describe() && errors[0].DslErrorCode == parseError.DslErrorCode
                ? null
                : $"Parse threw [{parseError.DslErrorCode}] {parseError.Describe()} but Validate's first error is {(errors.Count == 0 ? "none" : $"[{errors[0].DslErrorCode}] {errors[0].Describe()}")}";
        }

        if (errors.Count > 0)
        {
            return $"Parse succeeded but Validate reported [{errors[0].DslErrorCode}] {errors[0].Describe()}";
        }

        try
        {
            DeploymentPlanner.Prepare(plan!, null, new PlannerOptions { Random = new Random(1) });
        }
        catch (DeploymentPlanException e) when (e.Message.Length > 0 && e.ErrorCode.Length > 0)
        {
        }
        catch (Exception e)
        {
            return $"Prepare threw {Crash(e)}";
        }

        return null;
    }

    private static string Crash(Exception e) =>
        $"{e.GetType().Name}: {e.Message}\n     {e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Stratus", StringComparison.Ordinal))?.Trim()}";

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
