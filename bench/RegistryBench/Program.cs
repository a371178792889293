using RegistryCloud.Bench;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await BenchApp.RunAsync(args, Console.Out, Console.Error, cancellation.Token);
