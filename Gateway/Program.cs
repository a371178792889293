using RegistryCloud.Gateway.Extensions;

InlineSocketCompletions.PreferInline();
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(GatewayTelemetry.Name);
builder.AddGatewayServices();

var app = builder.Build();

app.MapDefaultEndpoints(metrics: false);
app.MapGateway();

app.Run();

/// <summary>Entry point, visible to in-process tests.</summary>
public partial class Program;
