using System.Formats.Tar;
using System.IO.Compression;
using Stratus.Client;
using Stratus.Dsl;

namespace Stratus.Cli.Commands;

/// <summary><c>blueprints validate</c>: parses locally with Stratus.Dsl, no manager needed.</summary>
internal static class OfflineValidator
{
    public static async Task<int> RunAsync(CommandContext context, string path, string? mainFile, CancellationToken cancellationToken)
    {
        await context.Out.WriteLineAsync($"Validating blueprint: {path}");
        string? scratch = null;
        var folder = "";
        try
        {
            var main = ResolveMainFile(path, mainFile, ref scratch);
            folder = Path.GetDirectoryName(main)!;
            new BlueprintParser().Parse(main, cancellationToken);
            await context.Out.WriteLineAsync("Blueprint validated successfully");
            return CliApp.Ok;
        }
        catch (DslParseException e)
        {
            await context.Console.Error.WriteLineAsync(Describe(e, folder));
            return CliApp.Failed;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is DslParseException))
        {
            foreach (var error in e.InnerExceptions.Cast<DslParseException>())
            {
                await context.Console.Error.WriteLineAsync(Describe(error, folder));
            }

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

    /// <summary><c>file:line:col: message</c>, with the file as a path the user can open.</summary>
    private static string Describe(DslParseException error, string folder)
    {
        if (error.Line <= 0)
        {
            return error.File is null ? error.Message : $"{error.File}: {error.Message}";
        }

        var file = error.File is null || Path.IsPathRooted(error.File) || error.File.Contains("://", StringComparison.Ordinal)
            ? error.File
            : Path.Combine(folder, error.File);
        return $"{file}:{error.Line}:{error.Column}: {error.Message}";
    }

    private static string ResolveMainFile(string path, string? mainFile, ref string? scratch)
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

        scratch = Directory.CreateTempSubdirectory("stratus-validate-").FullName;
        if (full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            ZipFile.ExtractToDirectory(full, scratch);
        }
        else if (full.EndsWith(".tar", StringComparison.OrdinalIgnoreCase))
        {
            TarFile.ExtractToDirectory(full, scratch, overwriteFiles: true);
        }
        else if (full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || full.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase))
        {
            using var gzip = new GZipStream(File.OpenRead(full), CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, scratch, overwriteFiles: true);
        }
        else
        {
            throw new CliException($"cannot open {path} offline; validate its folder instead");
        }

        var root = Directory.GetDirectories(scratch) is [var single] && Directory.GetFiles(scratch).Length == 0 ? single : scratch;
        return Existing(Path.Combine(root, mainFile ?? BlueprintArchive.DefaultApplicationFileName));
    }

    private static string Existing(string file) =>
        File.Exists(file) ? file : throw new CliException($"no main blueprint file {file} (choose one with -n)");
}
