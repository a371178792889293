using RegistryCloud.Admin;

// The tool's whole behaviour lives in AdminApp so tests can run it in process.
return await AdminApp.RunAsync(args, AdminConsole.FromProcess()).ConfigureAwait(false);
