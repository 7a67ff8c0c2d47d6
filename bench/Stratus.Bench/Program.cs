using Stratus.Bench;

return await BenchmarkApp.RunAsync(args, Console.Out, CancellationToken.None);
