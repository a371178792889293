using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// In-process: the out-of-process project BenchmarkDotNet would generate sits under this
// repository and inherits its build rules (warnings as errors, central package management),
// which generated code is not written for. Other BenchmarkDotNet options pass through (--job short).
string[] options = args.Contains("--inProcess") ? args : [.. args, "--inProcess"];
BenchmarkSwitcher.FromAssembly(typeof(RegistryCloud.Bench.Micro.DigestBenchmarks).Assembly).Run(options, DefaultConfig.Instance);
