using Stratus.Archiving;
using Stratus.Client;
using Stratus.Core.Errors;
using Stratus.Dsl;

namespace Stratus.Cli.Commands;

/// <summary><c>blueprints validate</c>: parses locally with Stratus.Dsl, no manager needed, and prints every error found.</summary>
internal static class OfflineValidator
{
    /// <summary>The manager's default upload limits, so that what validates here also unpacks there.</summary>
    private static readonly ArchiveLimits Limits = new(MaxEntries: 10000, MaxExtractedBytes: 200L * 1024 * 1024);

    public static async Task<int> RunAsync(CommandContext context, string path, string? mainFile, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync($"Validating blueprint: {path}");
        string? scratch = null;
        try
        {
            var main = ResolveMainFile(path, mainFile, ref scratch, cancellationToken);
            var folder = Path.GetDirectoryName(main)!;
            var errors = new BlueprintParser().Validate(main, cancellationToken);
            if (errors.Count == 0)
            {
                await context.Out.WriteLineAsync("Blueprint validated successfully");
                return CliApp.Ok;
            }

            foreach (var error in errors)
            {
                await context.Console.Error.WriteLineAsync(Describe(error, folder));
            }

            await context.Console.Error.WriteLineAsync(
                errors.Count == 1 ? "Blueprint validation failed: 1 error" : $"Blueprint validation failed: {errors.Count} errors");
            return CliApp.Failed;
        }
        catch (StratusException e)
        {
            await context.Console.Error.WriteLineAsync($"Error: {e.Message}");
            return CliApp.Failed;
        }
        finally
        {
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary><c>file:line:col: message [code N]</c>, with the file as a path the user can open.</summary>
    private static string Describe(DslParseException error, string folder)
    {
        var code = $" [code {error.DslErrorCode}]";
        if (error.Line <= 0)
        {
            return (error.File is null or "" ? error.Message : $"{error.File}: {error.Message}") + code;
        }

        var file = error.File is null || Path.IsPathRooted(error.File) || error.File.Contains("://", StringComparison.Ordinal)
            ? error.File
            : Path.Combine(folder, error.File);
        return $"{file}:{error.Line}:{error.Column}: {error.Message}{code}";
    }

    private static string ResolveMainFile(string path, string? mainFile, ref string? scratch, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return Existing(Path.Combine(full, mainFile ?? BlueprintArchive.DefaultApplicationFileName));
        }

        if (!File.Exists(full))
        {
            throw new CliException($"no blueprint folder, YAML file or archive at {path}");
        }

        if (!BlueprintArchive.IsArchive(full))
        {
            return full;
        }

        // The manager's hardened extractor: no escaping paths, links, bombs or oversized archives on this machine either.
        scratch = Directory.CreateTempSubdirectory("stratus-validate-").FullName;
        var extracted = Path.Combine(scratch, "blueprint");
        new BlueprintArchiveExtractor(Limits).Extract(full, extracted, cancellationToken);
        var root = BlueprintArchiveExtractor.FindRoot(extracted);
        return Existing(Path.Combine(root, mainFile ?? BlueprintArchive.DefaultApplicationFileName));
    }

    private static string Existing(string file) =>
        File.Exists(file) ? file : throw new CliException($"no main blueprint file {file} (choose one with -n)");
}
